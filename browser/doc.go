// Package browser holds Tokumei's journey test in a real browser: the
// whole proposal procedure (a business proposes to two bodies, the window
// routes, the bodies review and upload extracts, the processing job runs,
// the risk assessor approves, the body accepts, contract and fee, delivery,
// the public register) driven page by page through Debian's headless
// Chromium with chromedp, against the real server wired as `tokumei serve`
// wires it (SQLite store, vault, job queue, web) on 127.0.0.1:0.
//
// Every page of the journey is checked with axe-core (testdata/axe, MPL-2.0)
// for serious or critical violations and for Japanese first (lang="ja", no
// raw English error); a screenshot of each step is written under
// $TOKUMEI_ARTIFACTS/<test name> (or a temporary directory). The tests skip
// when Chromium is absent. See docs/testing.md.
//
// It has no code outside its tests; the tests import web, platform,
// sqlstore, vault, jobs, demo and auth.
package browser
