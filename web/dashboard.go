package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/tokumei/tokumei/platform"
)

// dashLink is one task on the dashboard: a link and its catalogue keys.
type dashLink struct {
	Href string
	Key  string
	Hint string
}

// dashboardLinks lists the tasks of a role. Other parts of the UI add
// their tasks here.
func dashboardLinks(a platform.Actor) []dashLink {
	var l []dashLink
	if a.Role.BodyScoped() {
		l = append(l, dashLink{fmt.Sprintf("/bodies/%d/register", a.BodyID), "dashboard.my_register", "dashboard.my_register_hint"})
	}
	if a.Has(platform.RoleWindowOfficer, platform.RoleProcessor, platform.RoleRiskAssessor, platform.RoleAuditor, platform.RoleAdmin) {
		l = append(l, dashLink{"/bodies", "dashboard.bodies", "dashboard.bodies_hint"})
	}
	if a.Has(platform.RoleAdmin) {
		l = append(l, dashLink{"/admin/users", "dashboard.users", "dashboard.users_hint"})
	}
	if a.Has(platform.RoleAuditor, platform.RoleAdmin) {
		l = append(l, dashLink{"/audit", "dashboard.audit", "dashboard.audit_hint"})
	}
	return l
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	return s.page(w, r, "dashboard", struct {
		Today time.Time
		Links []dashLink
	}{s.now(), dashboardLinks(actor(r))})
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	if _, err := platform.ActorFrom(r.Context()); err == nil {
		return redirect(w, r, "/dashboard")
	}
	return redirect(w, r, "/login")
}
