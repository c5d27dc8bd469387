// The JS half of the bindings that runs on first use (core.js is the part
// every VM runs at install): Pager and the job runner behind pool, forEach
// and map. Go supplies page sources; everything a script iterates or awaits
// is defined here so that it behaves as plain JavaScript does.
(function (define, workers, asyncIterator) {
  "use strict";

  // summaryError describes one failed item: its position in the input, its
  // id when it has one, and what the API said; ambiguous marks a create that
  // may have been applied (check it before trying again).
  function summaryError(item, index, err) {
    const out = { index, error: err && err.message !== undefined ? err.message : String(err) };
    if (item && typeof item === "object" && item.id !== undefined) out.id = item.id;
    if (err && err.status !== undefined) out.status = err.status;
    if (err && err.code !== undefined) out.code = err.code;
    if (err && err.requestId) out.requestId = err.requestId;
    if (err && err.ambiguous) out.ambiguous = true;
    const at = errorLocation(err);
    if (at) out.at = at;
    return out;
  }

  // errorLocation is "file:line:column" of the first frame of an error's
  // stack in the script's own files (not icscript's machinery), as an
  // uncaught error shows it; "" when the stack has none.
  function errorLocation(err) {
    let stack = "";
    try { stack = err && typeof err === "object" ? String(err.stack || "") : ""; } catch (_) { return ""; }
    for (const line of stack.split("\n")) {
      const m = /^\s*at (?:.* \()?(.+?):(\d+):(\d+)(?:\(\d+\))?\)?$/.exec(line);
      if (!m || m[1].startsWith("icscript:") || m[1] === "<bundle>" || m[1] === "native") continue;
      return m[1] + ":" + m[2] + ":" + m[3];
    }
    return "";
  }

  function formatElapsed(ms) {
    if (ms < 1000) return ms + "ms";
    if (ms < 60000) return (ms / 1000).toFixed(1).replace(/\.0$/, "") + "s";
    return Math.floor(ms / 60000) + "m" + Math.round((ms % 60000) / 1000) + "s";
  }

  // checkpointKey names an item in a checkpoint: its id when it comes from
  // a Pager, else its position and a digest of its JSON, so that a changed
  // element of an array is a new item (bindings/checkpoint.go).
  function checkpointKey(ck, item, index, byId) {
    if (byId && item && typeof item === "object" && (typeof item.id === "string" || typeof item.id === "number")) return "id:" + item.id;
    let text;
    try { text = JSON.stringify(item); } catch (_) { text = undefined; }
    if (text === undefined) text = String(item);
    return "i:" + index + ":" + ck.hash(text);
  }

  // runPool calls fn on every item of an iterable (sync or async) with at
  // most n calls in flight, and resolves to a summary; with collect, also
  // to the results in input order. With opts.checkpoint it records each
  // item's start (durably, before fn runs) and outcome in that file, skips
  // the items done in an earlier run (--resume) and reports those started
  // without an outcome as needsCheck instead of running them again.
  function runPool(items, n, fn, opts, collect) {
    opts = opts || {};
    if (typeof fn !== "function") throw new TypeError("pool(): the last argument must be a function");
    if (opts.checkpoint !== undefined) {
      if (collect) throw new TypeError("map() takes no checkpoint: the results of items done in an earlier run are not kept; use forEach or pool");
      if (typeof opts.checkpoint !== "string" || opts.checkpoint === "") throw new TypeError("checkpoint must be a file name such as \"job.ckpt\", got " + String(opts.checkpoint));
    }
    const started = Date.now();
    const results = [], errs = [];
    const summary = { ok: 0, failed: 0, errors: [], elapsed: "0ms" };
    const ck = opts.checkpoint !== undefined ? define.checkpoint(opts.checkpoint) : null;
    if (ck) { summary.skipped = 0; summary.needsCheck = []; }
    const byId = items instanceof Pager;
    if (ck && ck.resumed && byId) items._source.awaitOpenScroll();
    const progress = opts.progress ? define.progress(opts.progress, opts.total) : null;
    // A checkpointed Pager records its pages and resumes at the first page
    // with an item left to do, when its style has positions (cursors).
    const it = ck && byId ? items._walk(ck.resumed ? ck.resumeFrom() : undefined, (page) => {
      if (typeof page.from !== "string") return;
      const keys = [];
      for (const item of page.items) {
        if (!item || typeof item !== "object" || (typeof item.id !== "string" && typeof item.id !== "number")) return;
        keys.push("id:" + item.id);
      }
      ck.page(page.from, keys);
    }) : items[asyncIterator] ? items[asyncIterator]() : items[Symbol.iterator]();
    let index = 0, stopped = false, exhausted = false;
    const next = () => Promise.resolve(it.next());
    // Each worker pulls the next item, one at a time, so no iterator is read concurrently.
    let pulling = Promise.resolve();
    function pull() {
      const p = pulling.then(() => (exhausted || stopped) ? { done: true } : next());
      pulling = p.then(() => undefined, () => undefined);
      return p;
    }
    // resumed says whether the checkpoint settles item i without running it.
    function resumed(item, i, key) {
      const state = ck.state(key);
      if (state === "done") { summary.skipped++; return true; }
      if (state === "started") {
        const entry = { key, index: i };
        if (item && typeof item === "object" && item.id !== undefined) entry.id = item.id;
        summary.needsCheck.push(entry);
        ck.note("icscript: checkpoint " + ck.path + ": " + key + " needs a check: an earlier run stopped during its call, " +
          "so its change may have been applied; it is not run again");
        return true;
      }
      return false;
    }
    async function worker() {
      for (;;) {
        const r = await pull();
        if (r.done) { exhausted = true; return; }
        const i = index++;
        const key = ck ? checkpointKey(ck, r.value, i, byId) : undefined;
        if (ck && resumed(r.value, i, key)) { if (progress) progress.tick(); continue; }
        if (ck) await ck.start(key); // the item's start line is durable before fn sends anything
        let failure;
        try {
          const v = await fn(r.value, i);
          if (collect) results[i] = v;
          summary.ok++;
        } catch (err) {
          failure = err;
          if (collect) errs.push(err);
          summary.failed++;
          summary.errors.push(summaryError(r.value, i, err));
          if (collect) results[i] = undefined;
        } finally {
          if (progress) progress.tick();
        }
        if (ck) {
          if (failure === undefined) ck.done(key);
          else ck.failed(key, summary.errors[summary.errors.length - 1].error);
        }
        if (failure !== undefined && opts.stopOnError) { stopped = true; throw failure; }
      }
    }
    function finish(completed) {
      if (!ck || !ck.finish(completed) || ck.dryRun) return;
      const why = [];
      if (summary.failed) why.push(summary.failed + " failed");
      if (summary.needsCheck.length) why.push(summary.needsCheck.length + " need a check");
      ck.note("icscript: checkpoint " + ck.path + " kept" + (why.length ? " (" + why.join(", ") + ")" : "") +
        ": run again with --resume to retry the failed items and those not started; done items are skipped");
    }
    const workers = [];
    for (let w = 0; w < n; w++) workers.push(worker());
    return Promise.all(workers).then(() => {
      if (progress) progress.done();
      summary.elapsed = formatElapsed(Date.now() - started);
      finish(summary.failed === 0 && !(summary.needsCheck && summary.needsCheck.length));
      if (collect && summary.failed) throw mapFailed(summary, results, errs);
      if (collect) return results;
      return summary;
    }, (err) => {
      if (progress) progress.done();
      if (typeof it.return === "function") try { it.return(); } catch (_) {}
      // stopOnError starts no new item, but the items already running go
      // on: the checkpoint closes once their outcomes are recorded.
      Promise.allSettled(workers).then(() => finish(false));
      throw err;
    });
  }

  // mapFailed is what map() rejects with when items failed and stopOnError
  // was not set: every item has run, and no failure is dropped silently
  // behind an undefined result. An AggregateError (its errors are the
  // thrown errors) with results (undefined where an item failed) and
  // failures (the summary entries: index, id, error, status, at, …).
  function mapFailed(summary, results, errs) {
    const first = summary.errors[0];
    const where = (first.id !== undefined ? "id " + first.id : "item " + first.index) + (first.at ? " at " + first.at : "");
    const err = new AggregateError(errs, "map(): " + summary.failed + " of " + (summary.ok + summary.failed) +
      " items failed (the first, " + where + ": " + first.error + "); err.results holds every result, undefined where an item failed, err.failures what failed");
    err.results = results;
    err.failures = summary.errors;
    return err;
  }

  // serial makes an async function queue its calls: each starts when the
  // previous one has settled, so consumers sharing one iterator each get a
  // distinct item and none is lost.
  function serial(fn) {
    let tail = Promise.resolve();
    return function () {
      const p = tail.then(() => fn());
      tail = p.then(() => undefined, () => undefined);
      return p;
    };
  }

  // A Pager walks a list or search page by page. Every iteration opens a
  // fresh cursor on the Go side, which fetches the next page ahead and
  // hands over only the items not yielded before in the walk.
  class Pager {
    constructor(source, operation) {
      Object.defineProperty(this, "_source", { value: source });
      Object.defineProperty(this, "operation", { value: operation, enumerable: true });
    }
    get total_count() { return this._source.totalCount(); }
    [Symbol.iterator]() {
      const cur = this._source.open();
      let items = [], i = 0, done = false;
      return {
        next() {
          while (!done && i >= items.length) {
            let page;
            try { page = cur.nextSync(); } catch (err) { done = true; throw err; }
            if (page === null) { done = true; break; }
            items = page.items; i = 0;
          }
          if (done) return { done: true, value: undefined };
          return { done: false, value: items[i++] };
        },
        return(v) { done = true; cur.close(); return { done: true, value: v }; },
        [Symbol.iterator]() { return this; },
      };
    }
    [asyncIterator]() { return this._walk(); }
    // _walk iterates the items asynchronously, from a checkpoint's position
    // when from is given; onPage(page) sees each page as it arrives.
    _walk(from, onPage) {
      const cur = this._source.open(from, onPage !== undefined);
      let items = [], i = 0, done = false;
      const end = { done: true, value: undefined };
      const step = () => {
        if (done) return end;
        if (i < items.length) return { done: false, value: items[i++] };
        return cur.next().then((page) => {
          if (done) return end;
          if (page === null) { done = true; return end; }
          items = page.items; i = 0;
          if (onPage) onPage(page);
          return step();
        }, (err) => {
          if (done) return end; // closed while the page was on its way
          done = true;
          throw err;
        });
      };
      return {
        next: serial(step),
        return(v) { done = true; cur.close(); return Promise.resolve({ done: true, value: v }); },
        [asyncIterator]() { return this; },
      };
    }
    // pages() iterates whole response bodies, sync or async.
    pages() {
      const source = this._source;
      return {
        [Symbol.iterator]() {
          const cur = source.open();
          return {
            next() { const p = cur.nextSync(); return p === null ? { done: true, value: undefined } : { done: false, value: p.body }; },
            return(v) { cur.close(); return { done: true, value: v }; },
            [Symbol.iterator]() { return this; },
          };
        },
        [asyncIterator]() {
          const cur = source.open();
          let done = false;
          const end = { done: true, value: undefined };
          return {
            next: serial(() => done ? end : cur.next().then((p) => {
              if (done || p === null) { done = true; return end; }
              return { done: false, value: p.body };
            }, (err) => { if (done) return end; done = true; throw err; })),
            return(v) { done = true; cur.close(); return Promise.resolve({ done: true, value: v }); },
            [asyncIterator]() { return this; },
          };
        },
      };
    }
    async toArray(opts) {
      const limit = opts && opts.limit !== undefined ? opts.limit : Infinity;
      if (!(limit >= 0)) throw new TypeError(this.operation + ".toArray(): limit must be a number >= 0");
      const out = [];
      if (limit === 0) return out;
      const it = this[asyncIterator]();
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        out.push(r.value);
        if (out.length >= limit) { await it.return(); break; }
      }
      return out;
    }
    first(n) {
      if (n === undefined) return this.toArray({ limit: 1 }).then((a) => a[0]);
      return this.toArray({ limit: n });
    }
    async count() {
      const cur = this._source.open();
      let n = 0;
      for (;;) {
        const page = await cur.next();
        if (page === null) return n;
        n += page.items.length;
      }
    }
    forEach(fn, opts) {
      opts = opts || {};
      const o = Object.assign({}, opts);
      if (o.progress && o.total === undefined) o.total = () => this.total_count;
      const n = opts.concurrency === undefined ? 1 : workers(this.operation + ".forEach(): concurrency", opts.concurrency);
      return runPool(this, n, fn, o, false);
    }
    map(fn, opts) {
      opts = opts || {};
      const n = opts.concurrency === undefined ? 1 : workers(this.operation + ".map(): concurrency", opts.concurrency);
      return runPool(this, n, fn, opts, true);
    }
    toString() { return "[Pager " + this.operation + "]"; }
  }

  return { Pager, runPool };
})
