// ---- Runtime: Pager, IntercomError, pool ----------------------------------

/** A list or search, fetched page by page as it is iterated. Iterate it with
 * `for` or `for await`; every iteration starts again from the first page. */
interface Pager<T, Page = any> extends Iterable<T>, AsyncIterable<T> {
  /** The operation that made the pager: "contacts.list". */
  readonly operation: string;
  /** The total the API reported, once the first page has been fetched. */
  readonly total_count?: number;
  [Symbol.iterator](): IterableIterator<T>;
  [Symbol.asyncIterator](): AsyncIterableIterator<T>;
  /** Every item (or the first `limit`) in an array. */
  toArray(opts?: { limit?: number }): Promise<T[]>;
  /** The first item, or undefined when there is none. */
  first(): Promise<T | undefined>;
  /** The first n items. */
  first(n: number): Promise<T[]>;
  /** The whole response bodies, page by page. */
  pages(): Iterable<Page> & AsyncIterable<Page>;
  /** The number of items, counted by walking every page. */
  count(): Promise<number>;
  /** Calls fn on every item with up to `concurrency` calls in flight; a
   * failing call is counted and listed, not thrown (unless stopOnError). */
  forEach(fn: (item: T, index: number) => unknown, opts?: BulkOptions): Promise<BulkSummary>;
  /** Calls fn on every item and collects the results in item order (no checkpoint).
   * When items failed, rejects after all have run with a MapError (an
   * AggregateError) holding every result and every failure; with
   * stopOnError, with the first failure. */
  map<R>(fn: (item: T, index: number) => R | PromiseLike<R>, opts?: Omit<BulkOptions, "checkpoint">): Promise<Awaited<R>[]>;
}

/** What map() rejects with when items failed (without stopOnError). */
interface MapError<R = unknown> extends AggregateError {
  /** Every item's result in item order, undefined where it failed. */
  results: (R | undefined)[];
  /** What failed, as in a BulkSummary's errors. */
  failures: BulkSummary["errors"];
}

interface BulkOptions {
  /** Calls in flight at once (default 1). */
  concurrency?: number;
  /** Show a progress bar; a string is its label. */
  progress?: boolean | string;
  /** Reject at the first failure instead of going on. */
  stopOnError?: boolean;
  /** A checkpoint file (relative to the script's folder) recording each item's start and
   * outcome, so a stopped run can carry on with --resume (forEach and pool only). */
  checkpoint?: string;
}

interface BulkError {
  /** The item's position in the input. */
  index: number;
  id?: string | number;
  error: string;
  status?: number;
  code?: string;
  requestId?: string;
  /** A create that may have been applied: look before trying again. */
  ambiguous?: boolean;
}

/** What forEach and pool resolve to. */
interface BulkSummary {
  ok: number;
  failed: number;
  errors: BulkError[];
  /** "850ms", "4.2s", "3m10s". */
  elapsed: string;
  /** With a checkpoint: items done by an earlier run, not run again. */
  skipped?: number;
  /** With a checkpoint: items an earlier run started but did not record an outcome for —
   * their change may have been applied; not run again: check them by hand. */
  needsCheck?: { key: string; index: number; id?: string | number }[];
}

/** An API call that failed: an error answer, a network failure or a timeout (status 0). */
declare class IntercomError extends Error {
  name: "IntercomError";
  /** HTTP status; 0 for network failures and timeouts. */
  status: number;
  /** Intercom's error code: "not_found", "parameter_invalid"… */
  code?: string;
  errors?: { code: string; message: string; field?: string }[];
  requestId?: string;
  /** The operationId, as in `icscript ops`: "UpdateContact". */
  operation?: string;
  method?: string;
  path?: string;
  /** The request may or may not have been carried out (a timeout on a create). */
  ambiguous?: boolean;
  /** Requests sent for the call, retries included (0 when it failed before sending). */
  attempts?: number;
}

/** Calls fn on every item of an array or iterable with at most n calls in flight. */
declare function pool<T>(
  items: Iterable<T> | AsyncIterable<T>,
  n: number,
  fn: (item: T, index: number) => unknown,
  opts?: { progress?: boolean | string; stopOnError?: boolean; total?: number; checkpoint?: string },
): Promise<BulkSummary>;

// ---- Standard library --------------------------------------------------------

declare namespace icscript {
  /** A flag's default: its type decides how the flag is read. */
  type FlagDefault = string | number | boolean | string[] | number[] | null | undefined;
  /** A declared flag: its default, or {default, help, required}; a required flag missing exits 2 with the usage line. */
  type FlagSpec = FlagDefault | { default?: FlagDefault; help?: string; required?: boolean };
  type FlagValue<D> = D extends boolean ? boolean
    : D extends number ? number
    : D extends string ? string
    : D extends number[] ? number[]
    : D extends string[] ? string[]
    : string | boolean | undefined;
  type FlagOf<S> = S extends { default?: infer D; help?: string; required?: boolean } ? FlagValue<D> : FlagValue<S>;

  interface Args {
    /** The script's arguments that are not flags (read it after declaring the flags). */
    readonly positional: string[];
    /** Every argument after the script's name, as given. */
    readonly all: string[];
    /** A flag's value (--name value, --name=value, --name, --no-name); the default's type decides the result's. */
    flag(name: string): string | boolean | undefined;
    flag(name: string, defaultValue: string): string;
    flag(name: string, defaultValue: number): number;
    flag(name: string, defaultValue: boolean): boolean;
    flag(name: string, defaultValue: number[]): number[];
    flag(name: string, defaultValue: string[]): string[];
    /** Declares every flag ({days: {default: 30, help: "…"}}): unknown flags become an error and --help prints usage. */
    declare<T extends Record<string, FlagSpec>>(spec: T, opts?: { description?: string }): { [K in keyof T]: FlagOf<T[K]> };
    /** A mistake in how the script was called: prints the message and the usage line on stderr, and exits 2. */
    usageError(message: string): never;
  }

  /** Relative paths are resolved against the script's directory; writes are atomic. */
  interface FS {
    readText(path: string): string;
    writeText(path: string, text: string): void;
    appendText(path: string, text: string): void;
    readJSON<T = any>(path: string): T;
    /** Two-space indentation unless pretty is false. */
    writeJSON(path: string, value: unknown, opts?: { pretty?: boolean }): void;
    /** Rows as objects keyed by the header row (or arrays with header: false); values are strings. */
    readCSV(path: string, opts?: { delimiter?: string; header?: true }): Record<string, string>[];
    readCSV(path: string, opts: { delimiter?: string; header: false }): string[][];
    writeCSV(path: string, rows: readonly Record<string, unknown>[] | readonly unknown[][], opts?: { columns?: string[]; delimiter?: string }): void;
    /** The file's lines, read lazily as they are iterated. */
    readLines(path: string): Iterable<string>;
    exists(path: string): boolean;
    /** Creates the directory and its parents. */
    mkdir(path: string): void;
    /** The names in a directory, sorted. */
    list(dir: string): string[];
    /** Deletes a file or an empty directory; false when there was nothing to delete. */
    remove(path: string): boolean;
  }

  /** gjson paths (`data.#(role=="user")#.email`) over values or JSON text. */
  interface JSONTools {
    /** What the path matches, or undefined. */
    get(value: unknown, path: string): any;
    /** What the path matches, always as an array. */
    query(value: unknown, path: string): any[];
    parse(text: string): any;
    /** Compact unless pretty. */
    stringify(value: unknown, opts?: { pretty?: boolean }): string;
  }

  /** Times are whole unix seconds, as Intercom's API has them. */
  interface Time {
    now(): number;
    daysAgo(days: number): number;
    hoursAgo(hours: number): number;
    /** Unix seconds of a Date, a date string or a number (milliseconds above 1e11). */
    unix(t: Date | string | number): number;
    /** RFC 3339 in UTC by default; layout is a Go layout or rfc3339, iso, date, datetime, time, rfc1123; zone an IANA name. */
    format(t: Date | string | number, layout?: string, zone?: string): string;
    parse(text: string): number;
  }

  interface Choice<T> {
    label: string;
    value: T;
  }

  interface Prompt {
    input(question: string, opts?: { default?: string }): Promise<string>;
    /** Answers yes without asking under --yes; refuses without a terminal. */
    confirm(question: string, opts?: { default?: boolean }): Promise<boolean>;
    select<T extends string>(question: string, options: readonly T[]): Promise<T>;
    select<T>(question: string, options: readonly (string | Choice<T>)[]): Promise<T | string>;
  }

  interface FetchResponse {
    status: number;
    statusText: string;
    ok: boolean;
    url: string;
    /** Lower-case names. */
    headers: Record<string, string> & { get(name: string): string | undefined };
    text(): Promise<string>;
    json<T = any>(): Promise<T>;
  }

  interface FetchOptions {
    method?: string;
    headers?: Record<string, string>;
    /** A string as it is, an ArrayBuffer as bytes, anything else as JSON. */
    body?: string | ArrayBuffer | object;
    /** Milliseconds. */
    timeout?: number;
  }

  interface Progress {
    tick(n?: number): void;
    done(): void;
  }

  interface Console {
    log(...data: unknown[]): void;
    info(...data: unknown[]): void;
    warn(...data: unknown[]): void;
    error(...data: unknown[]): void;
    debug(...data: unknown[]): void;
    dir(value: unknown, opts?: { depth?: number }): void;
    table(data: unknown, columns?: string[]): void;
    time(label?: string): void;
    timeLog(label?: string, ...data: unknown[]): void;
    timeEnd(label?: string): void;
    count(label?: string): void;
    countReset(label?: string): void;
    group(...label: unknown[]): void;
    groupCollapsed(...label: unknown[]): void;
    groupEnd(): void;
    assert(condition: unknown, ...data: unknown[]): void;
  }
}

declare const args: icscript.Args;
declare const env: Record<string, string | undefined>;
declare const fs: icscript.FS;
declare const json: icscript.JSONTools;
declare const time: icscript.Time;
declare const prompt: icscript.Prompt;
declare const console: icscript.Console;
declare function sleep(ms: number): Promise<void>;
declare function fetch(url: string, opts?: icscript.FetchOptions): Promise<icscript.FetchResponse>;
declare function exit(code?: number): never;
declare function progress(total?: number, label?: string): icscript.Progress;
declare function setTimeout(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function setInterval(fn: (...args: any[]) => void, ms?: number, ...args: any[]): number;
declare function clearTimeout(id?: number): void;
declare function clearInterval(id?: number): void;
declare function queueMicrotask(fn: () => void): void;
/** Built-in modules only: require("icscript:fs"). */
declare function require(name: string): any;

declare module "icscript:args" {
  const args: icscript.Args;
  export default args;
  export const positional: icscript.Args["positional"];
  export const all: icscript.Args["all"];
  export const flag: icscript.Args["flag"];
  export const declare: icscript.Args["declare"];
  export const usageError: icscript.Args["usageError"];
}
declare module "icscript:env" {
  const env: Record<string, string | undefined>;
  export default env;
}
declare module "icscript:fs" {
  const fs: icscript.FS;
  export default fs;
  export const readText: icscript.FS["readText"];
  export const writeText: icscript.FS["writeText"];
  export const appendText: icscript.FS["appendText"];
  export const readJSON: icscript.FS["readJSON"];
  export const writeJSON: icscript.FS["writeJSON"];
  export const readCSV: icscript.FS["readCSV"];
  export const writeCSV: icscript.FS["writeCSV"];
  export const readLines: icscript.FS["readLines"];
  export const exists: icscript.FS["exists"];
  export const mkdir: icscript.FS["mkdir"];
  export const list: icscript.FS["list"];
  export const remove: icscript.FS["remove"];
}
declare module "icscript:json" {
  const json: icscript.JSONTools;
  export default json;
  export const get: icscript.JSONTools["get"];
  export const query: icscript.JSONTools["query"];
  export const parse: icscript.JSONTools["parse"];
  export const stringify: icscript.JSONTools["stringify"];
}
declare module "icscript:time" {
  const time: icscript.Time;
  export default time;
  export const now: icscript.Time["now"];
  export const daysAgo: icscript.Time["daysAgo"];
  export const hoursAgo: icscript.Time["hoursAgo"];
  export const unix: icscript.Time["unix"];
  export const format: icscript.Time["format"];
  export const parse: icscript.Time["parse"];
}
declare module "icscript:prompt" {
  const prompt: icscript.Prompt;
  export default prompt;
  export const input: icscript.Prompt["input"];
  export const confirm: icscript.Prompt["confirm"];
  export const select: icscript.Prompt["select"];
}
declare module "icscript:sleep" {
  const sleep: (ms: number) => Promise<void>;
  export default sleep;
}
declare module "icscript:fetch" {
  const fetch: (url: string, opts?: icscript.FetchOptions) => Promise<icscript.FetchResponse>;
  export default fetch;
}
declare module "icscript:exit" {
  const exit: (code?: number) => never;
  export default exit;
}
declare module "icscript:progress" {
  const progress: (total?: number, label?: string) => icscript.Progress;
  export default progress;
}
