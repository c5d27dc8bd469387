// Package intercom is icscript's HTTP client for the Intercom REST API 2.10.
//
// It is the layer under the JavaScript bindings, and a usable Go client on its
// own: every operation of the catalogue (./catalog) goes through [Client.Do],
// which adds authentication and version headers, paces requests to the
// workspace's rate limit, retries what is safe to retry and nothing else, and
// turns every failure into an [*APIError].
//
// # Rate limits
//
// Intercom reports its budget on every response (X-RateLimit-Limit,
// X-RateLimit-Remaining, X-RateLimit-Reset in unix seconds). The client keeps
// the latest view of the current window, counts its own requests in flight
// against the remaining budget, and spreads the requests over the time left in
// the window instead of spending the budget at once and then waiting. A 429 stops
// every sender until the same instant (Retry-After, else X-RateLimit-Reset), and
// after a window ends a single probe request learns the new budget before the
// others follow, so there is no herd after a reset.
//
// # Retries
//
// A 429 is retried for every method: Intercom did not process the request. 5xx,
// 408, timeouts and connection errors are retried only when resending cannot
// duplicate work: GET, PUT, DELETE and the read-only POSTs (searches,
// companies/list), or when the request certainly never left (dial or DNS
// failure). A create whose outcome is unknown is reported with
// [APIError.Ambiguous] set, never resent.
//
// # Advice in the caller's words
//
// Some errors end with advice ([APIError.Hint]): what to check after a 401,
// when nothing answers at the base URL. The client's own advice names its
// [Config] fields; [Config.Hints] replaces it with the program's words (the
// icscript CLI names its flags and environment variables there).
//
// # Secrets
//
// The token is sent only in the Authorization header, to the configured base
// URL. It is redacted from every error, log line and audit event the client
// produces, including server error bodies that echo the request.
package intercom
