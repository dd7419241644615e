// Package browser holds Tokumei's tests in a real browser (the only browser
// harness: it replaced the former e2e package). Against the real server
// wired as `tokumei serve --demo` wires it (SQLite store, vault, job queue,
// web) on 127.0.0.1:0, Debian's headless Chromium is driven with chromedp
// (--headless --no-sandbox --disable-gpu --disable-background-networking,
// a fresh profile):
//
//   - TestProposalJourney: the whole proposal procedure — a business signs
//     up and proposes to two bodies (the form by keyboard alone), the window
//     routes, the bodies review (one conforming, one not) and upload the
//     extract, the processing job runs (its progress shown on the case page
//     as #job-progress), the risk assessor approves, the body accepts,
//     contract and fee, delivery and a single-use download, the public
//     register;
//   - TestOfficerJourney: a body reviewer's register pages, the register
//     form by keyboard alone, logout, the administration pages, English.
//
// Every page is checked with axe-core (testdata/axe, MPL-2.0: no serious or
// critical violation) and for Japanese first (lang="ja", no raw English
// error, 和暦 dates and yen amounts where officers expect them). A screenshot
// of each step is kept under browser/artifacts/<test> (or
// $TOKUMEI_ARTIFACTS/<test>). The tests skip when Chromium is absent. See
// docs/testing.md.
//
// It has no code outside its tests; the tests import web, platform,
// sqlstore, vault, jobs, demo and auth.
package browser
