package web

import (
	"net/http"
	"strings"

	"github.com/tokumei/tokumei/platform"
)

// timelineItem is an event as the case page shows it: the note is rendered
// in the page's language where the event stores a code.
type timelineItem struct {
	platform.Event
	Note string
}

// timelineView renders the notes of tl. A cancellation stores
// "<ground>: <reason>" (the ground a code, for the audit chain); the page
// shows the ground's label from the message catalogue instead of the code.
func timelineView(r *http.Request, tl []platform.Event) []timelineItem {
	out := make([]timelineItem, len(tl))
	for i, e := range tl {
		out[i] = timelineItem{Event: e, Note: e.Note}
		if e.Action == platform.ActCancel {
			if ground, reason, ok := strings.Cut(e.Note, ": "); ok && !strings.ContainsAny(ground, " 　") {
				out[i].Note = T(r, "cancel."+ground) + " — " + reason
			}
		}
	}
	return out
}
