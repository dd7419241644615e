// Package platform holds the domain of the Tokumei platform: local
// governments and their executive bodies (実施機関), users and roles, the
// personal-information file register (個人情報ファイル簿), calls, proposals and
// per-body cases, decisions, contracts, fees, deliveries, the audit chain —
// their types, validation, the state machine, and the services that apply
// authorisation and write the audit chain.
//
// It imports the standard library, fault and the engine packages only.
// Storage, the vault and the queue are interfaces declared here and
// implemented by adapters (sqlstore, vault, jobs); wiring happens in cli.
//
// Rule: every legally significant act (review result, decision, contract,
// fee, provision) is attributed to exactly one Body, never to the operator.
package platform

import "time"

// ID identifies a stored record. IDs are assigned by the store.
type ID = int64

// Clock returns the current time; services take it so tests can fix time.
type Clock func() time.Time

// JST is Japan Standard Time, in which dates of legal acts are shown.
var JST = time.FixedZone("JST", 9*60*60)
