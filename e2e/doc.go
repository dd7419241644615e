// Package e2e holds Tokumei's browser tests: the real server (web on a real
// store with the demo data) driven through Debian's Chromium by chromedp,
// with a screenshot of every step kept under artifacts/ (or
// $TOKUMEI_ARTIFACTS) and axe-core run on every page. The tests skip with a
// message when Chromium is absent.
//
// It has no non-test code; the tests import web, platform, sqlstore, demo
// and auth.
package e2e
