// The part of the bindings' JS that every VM runs at install: IntercomError
// and pool. The rest, Pager and the job runner behind pool, forEach and map
// (prelude.js), is compiled and run on first use: by the first pool() or
// the first listing call, so that a script using neither does not pay for it.
(function (define) {
  "use strict";
  const asyncIterator = typeof Symbol.asyncIterator === "symbol" ? Symbol.asyncIterator : Symbol.for("Symbol.asyncIterator");

  class IntercomError extends Error {
    constructor(fields) {
      super(fields.message);
      this.name = "IntercomError";
      for (const k of ["status", "code", "errors", "requestId", "operation", "method", "path", "ambiguous", "attempts"]) {
        if (fields[k] !== undefined) this[k] = fields[k];
      }
    }
  }

  // maxWorkers bounds the calls in flight of one job, whatever concurrency
  // it asks for (Infinity included): requests are bounded by --concurrency
  // anyway, and each worker costs memory.
  const maxWorkers = 1000;

  // workers checks a job's concurrency and bounds it by maxWorkers and, when
  // the count is known, by the number of items.
  function workers(what, n, items) {
    if (typeof n !== "number" || !(n >= 1)) {
      throw new TypeError(what + " must be a number >= 1 (Infinity means " + maxWorkers + "), got " +
        (typeof n === "string" ? JSON.stringify(n) : String(n)));
    }
    n = Math.min(Math.floor(n), maxWorkers);
    if (Array.isArray(items)) n = Math.min(n, Math.max(1, items.length));
    return n;
  }

  // jobs is prelude.js's { Pager, runPool }, made on first use.
  let jobs;
  function loadJobs() {
    if (jobs === undefined) jobs = define.jobs()(define, workers, asyncIterator);
    return jobs;
  }

  function runPool(items, n, fn, opts, collect) {
    return loadJobs().runPool(items, n, fn, opts, collect);
  }

  function pool(items, n, fn, opts) {
    if (items === null || items === undefined || (typeof items[Symbol.iterator] !== "function" && typeof items[asyncIterator] !== "function")) {
      throw new TypeError("pool(items, n, fn): items must be an array or an iterable");
    }
    n = workers("pool(items, n, fn): n", n, items);
    const o = Object.assign({}, opts || {});
    if (o.progress && o.total === undefined && Array.isArray(items)) o.total = items.length;
    return runPool(items, n, fn, o, false);
  }

  return { IntercomError, pool, jobs: loadJobs };
})
