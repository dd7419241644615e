package platform

import (
	"context"
	"fmt"

	"github.com/tokumei/tokumei/fault"
)

// ImportLocalGovernments loads or refreshes the code list (administrators).
func (s *Services) ImportLocalGovernments(ctx context.Context, lgs []LocalGovernment) error {
	a, err := s.actor(ctx, RoleAdmin)
	if err != nil {
		return err
	}
	for i := range lgs {
		if len(lgs[i].Code) != 6 || lgs[i].Name == "" {
			return fault.New(fault.Invalid, "a local government needs a 6-digit code and a name",
				"団体コード（6桁）と名称が必要です").At("", i+1, 0)
		}
	}
	return s.atomic(ctx, func(st Store) error {
		if err := st.UpsertLocalGovernments(ctx, lgs); err != nil {
			return err
		}
		return s.audit(ctx, st, a, 0, "local_government.import", "local_government", "", fmt.Sprintf(`{"count":%d}`, len(lgs)))
	})
}

// LocalGovernment returns one local government (public).
func (s *Services) LocalGovernment(ctx context.Context, code string) (*LocalGovernment, error) {
	return s.Store.LocalGovernment(ctx, code)
}

// LocalGovernments lists local governments, of one prefecture when prefCode != "" (public).
func (s *Services) LocalGovernments(ctx context.Context, prefCode string) ([]LocalGovernment, error) {
	return s.Store.LocalGovernments(ctx, prefCode)
}

// Ordinance and open-data states.
var (
	ordinanceStates = []string{"none", "drafting", "enacted"}
	openDataStates  = []string{"none", "published"}
)

func oneOf(v string, set []string) bool {
	for _, s := range set {
		if v == s {
			return true
		}
	}
	return false
}

// UpdateSchemeStatus records adoption of the scheme, the ordinance and open
// data for a local government (administrators and window officers).
func (s *Services) UpdateSchemeStatus(ctx context.Context, lg *LocalGovernment) error {
	a, err := s.actor(ctx, RoleAdmin, RoleWindowOfficer)
	if err != nil {
		return err
	}
	if !oneOf(lg.OrdinanceStatus, ordinanceStates) {
		return fault.New(fault.Invalid, "ordinance status must be none, drafting or enacted", "条例の状況が正しくありません").In("ordinance_status")
	}
	if !oneOf(lg.OpenDataStatus, openDataStates) {
		return fault.New(fault.Invalid, "open-data status must be none or published", "オープンデータの状況が正しくありません").In("open_data_status")
	}
	return s.atomic(ctx, func(st Store) error {
		if err := st.UpdateSchemeStatus(ctx, lg); err != nil {
			return err
		}
		return s.audit(ctx, st, a, 0, "local_government.scheme", "local_government", lg.Code,
			fmt.Sprintf(`{"adopted":%t,"ordinance":%q,"open_data":%q}`, lg.SchemeAdopted, lg.OrdinanceStatus, lg.OpenDataStatus))
	})
}
