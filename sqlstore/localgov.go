package sqlstore

import (
	"context"
	"database/sql"

	"github.com/tokumei/tokumei/platform"
)

const lgColumns = `code, name, kana, pref_code, pref, kind, scheme_mandatory, scheme_adopted,
	ordinance_status, ordinance_date, open_data_status, open_data_date`

// UpsertLocalGovernments inserts or updates by code (names, kind and the
// mandatory flag; the scheme status is kept when the row exists).
func (s *Store) UpsertLocalGovernments(ctx context.Context, lgs []platform.LocalGovernment) error {
	return s.atomic(ctx, func(s *Store) error {
		for i := range lgs {
			lg := &lgs[i]
			_, err := s.exec(ctx, `INSERT INTO local_governments (`+lgColumns+`)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, kana = excluded.kana,
				pref_code = excluded.pref_code, pref = excluded.pref, kind = excluded.kind,
				scheme_mandatory = excluded.scheme_mandatory`,
				lg.Code, lg.Name, lg.Kana, lg.PrefCode, lg.Pref, lg.Kind, lg.SchemeMandatory, lg.SchemeAdopted,
				orNone(lg.OrdinanceStatus), nullT(lg.OrdinanceDate), orNone(lg.OpenDataStatus), nullT(lg.OpenDataDate))
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func scanLG(r interface{ Scan(...any) error }, lg *platform.LocalGovernment) error {
	var od, dd sql.NullTime
	err := r.Scan(&lg.Code, &lg.Name, &lg.Kana, &lg.PrefCode, &lg.Pref, &lg.Kind, &lg.SchemeMandatory,
		&lg.SchemeAdopted, &lg.OrdinanceStatus, &od, &lg.OpenDataStatus, &dd)
	lg.OrdinanceDate, lg.OpenDataDate = ptrT(od), ptrT(dd)
	return err
}

// LocalGovernment returns one local government by code.
func (s *Store) LocalGovernment(ctx context.Context, code string) (*platform.LocalGovernment, error) {
	var lg platform.LocalGovernment
	var od, dd sql.NullTime
	err := s.queryRow(ctx, "local_government", `SELECT `+lgColumns+` FROM local_governments WHERE code = ?`,
		[]any{code}, &lg.Code, &lg.Name, &lg.Kana, &lg.PrefCode, &lg.Pref, &lg.Kind, &lg.SchemeMandatory,
		&lg.SchemeAdopted, &lg.OrdinanceStatus, &od, &lg.OpenDataStatus, &dd)
	if err != nil {
		return nil, err
	}
	lg.OrdinanceDate, lg.OpenDataDate = ptrT(od), ptrT(dd)
	return &lg, nil
}

// LocalGovernments lists all, or one prefecture's, in code order.
func (s *Store) LocalGovernments(ctx context.Context, prefCode string) ([]platform.LocalGovernment, error) {
	rows, err := s.query(ctx, `SELECT `+lgColumns+` FROM local_governments
		WHERE ? = '' OR pref_code = ? ORDER BY code`, prefCode, prefCode)
	if err != nil {
		return nil, err
	}
	var out []platform.LocalGovernment
	err = rowsScan(rows, func(r *sql.Rows) error {
		var lg platform.LocalGovernment
		if err := scanLG(r, &lg); err != nil {
			return err
		}
		out = append(out, lg)
		return nil
	})
	return out, s.db.translate(err)
}

// UpdateSchemeStatus stores the adoption, ordinance and open-data status.
func (s *Store) UpdateSchemeStatus(ctx context.Context, lg *platform.LocalGovernment) error {
	res, err := s.exec(ctx, `UPDATE local_governments SET scheme_adopted = ?, ordinance_status = ?,
		ordinance_date = ?, open_data_status = ?, open_data_date = ? WHERE code = ?`,
		lg.SchemeAdopted, orNone(lg.OrdinanceStatus), nullT(lg.OrdinanceDate), orNone(lg.OpenDataStatus),
		nullT(lg.OpenDataDate), lg.Code)
	return mustAffect(res, err, "local_government")
}
