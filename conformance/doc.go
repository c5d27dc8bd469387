// Package conformance checks icscript and its sandbox against outside
// implementations of Intercom's API 2.10, so that neither can drift into a
// private dialect:
//
//   - Stoplight Prism mocking the OpenAPI description: every one of its
//     operations, called through the JS bindings and the real binary, must be
//     a request the description accepts (prism_mock_test.go); and every
//     operation of each later version (2.11–2.16), pinned with
//     --api-version, against Prism mocking that version's description
//     (prism_versions_test.go, with its known rejections and their evidence);
//   - Prism as a validating proxy in front of a served sandbox: a scenario
//     suite must produce no request or response violations
//     (prism_proxy_test.go);
//   - the official Node SDK (intercom-client 7.x) pointed at a served
//     sandbox (sdk_test.go, sdk-smoke.mjs).
//
// The Node packages are pinned in package.json and package-lock.json and
// installed with `npm ci --prefix conformance`. Without them the tests skip,
// unless ICSCRIPT_REQUIRE_CONFORMANCE=1 makes that a failure (CI).
//
// The package holds only tests; it imports the sandbox and the catalogue
// and builds cmd/icscript.
package conformance
