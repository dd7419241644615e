package web

import (
	"net/http"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// Who may do what with registers. Reading follows Actor.CanReadBody; writing
// is the body's own act (its reviewers and approvers), or an admin's.
var (
	registerWriters = []platform.Role{platform.RoleBodyReviewer, platform.RoleBodyApprover, platform.RoleAdmin}
	bodyReaders     = []platform.Role{platform.RoleBodyReviewer, platform.RoleBodyApprover, platform.RoleWindowOfficer,
		platform.RoleProcessor, platform.RoleRiskAssessor, platform.RoleAuditor, platform.RoleAdmin}
	auditReaders = []platform.Role{platform.RoleAuditor, platform.RoleAdmin}
	admins       = []platform.Role{platform.RoleAdmin}
	bodyCreators = []platform.Role{platform.RoleAdmin, platform.RoleWindowOfficer}
	bodyEditors  = []platform.Role{platform.RoleAdmin, platform.RoleWindowOfficer, platform.RoleBodyApprover}
)

var errOtherBody = fault.New(fault.Forbidden, "this belongs to another body", "他の実施機関のデータは閲覧・操作できません")

// bodyFor returns the body named by the path value "body" if the actor may
// read it; with write set, if the actor may change its register.
func (s *Server) bodyFor(r *http.Request, write bool) (*platform.Body, error) {
	id, err := pathID(r, "body")
	if err != nil {
		return nil, err
	}
	a := actor(r)
	if !a.CanReadBody(id) {
		return nil, errOtherBody
	}
	if write {
		if err := a.RequireBody(id, registerWriters...); err != nil {
			return nil, err
		}
	}
	return s.deps.Services.Body(r.Context(), id)
}

// entryFor returns the body and the register entry named by the path
// values "body" and "entry"; an entry of another body is not found.
func (s *Server) entryFor(r *http.Request, write bool) (*platform.Body, *platform.RegisterEntry, error) {
	b, err := s.bodyFor(r, write)
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(r, "entry")
	if err != nil {
		return nil, nil, err
	}
	e, err := s.deps.Services.RegisterEntry(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if e.BodyID != b.ID {
		return nil, nil, fault.New(fault.NotFound, "register entry not found", "ファイル簿の記載が見つかりません")
	}
	return b, e, nil
}
