package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tokumei/tokumei/fault"
	"github.com/tokumei/tokumei/platform"
)

// The body's procedure settings: fee tables (手数料) by effective date and
// deadlines per state; and the joint-commission records of the window.

type settingsView struct {
	Body        *platform.Body
	Fees        []platform.FeeTable
	Current     platform.FeeTable
	Deadlines   platform.Deadlines
	States      []platform.State
	CanWrite    bool
	Commissions []platform.Commission
}

func (s *Server) bodySettings(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bodyFor(r, false)
	if err != nil {
		return err
	}
	p := s.proc()
	fs, err := p.FeeTables(r.Context(), b.ID)
	if err != nil {
		return err
	}
	dl, err := p.Deadlines(r.Context(), b.ID)
	if err != nil {
		return err
	}
	return s.page(w, r, "case_settings", settingsView{Body: b, Fees: fs, Current: platform.FeeTableAt(fs, b.ID, s.now()),
		Deadlines: dl, States: platform.CaseStates, CanWrite: actor(r).RequireBody(b.ID, platform.RoleBodyApprover) == nil})
}

func (s *Server) bodyFeeCreate(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bodyFor(r, false)
	if err != nil {
		return err
	}
	f := func(k string) int64 {
		v, _ := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(r.FormValue(k)), ",", ""), 10, 64)
		return v
	}
	from, err := time.ParseInLocation("2006-01-02", r.FormValue("effective_from"), platform.JST)
	if err != nil {
		return fault.New(fault.Invalid, "effective date must be YYYY-MM-DD", "施行日を YYYY-MM-DD で入力してください").In("effective_from")
	}
	ft := platform.FeeTable{BodyID: b.ID, EffectiveFrom: from, Base: f("base"), PerHour: f("per_hour"), ChangeFee: f("change_fee"),
		Ordinance: strings.TrimSpace(r.FormValue("ordinance"))}
	if err := s.proc().AddFeeTable(r.Context(), &ft); err != nil {
		return err
	}
	return redirect(w, r, "/bodies/"+strconv.FormatInt(b.ID, 10)+"/procedure?notice=saved")
}

func (s *Server) bodyDeadlines(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bodyFor(r, false)
	if err != nil {
		return err
	}
	dl := platform.Deadlines{BodyID: b.ID, Days: map[platform.State]int{}}
	dl.ReminderDays, _ = strconv.Atoi(r.FormValue("reminder_days"))
	for _, st := range platform.CaseStates {
		if v := strings.TrimSpace(r.FormValue("days_" + string(st))); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fault.New(fault.Invalid, "days must be a number", "日数は数値で入力してください").In(string(st))
			}
			dl.Days[st] = n
		}
	}
	if err := s.proc().SetDeadlines(r.Context(), dl); err != nil {
		return err
	}
	return redirect(w, r, "/bodies/"+strconv.FormatInt(b.ID, 10)+"/procedure?notice=saved")
}

func (s *Server) commissionList(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.proc().Commissions(r.Context())
	if err != nil {
		return err
	}
	return s.page(w, r, "case_commissions", struct {
		Commissions []platform.Commission
		Bodies      map[platform.ID]string
	}{cs, s.bodyNames(r)})
}
