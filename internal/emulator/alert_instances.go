package emulator

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// listAlertInstances serves GET .../code-scanning/alerts/{alert_number}/instances: every
// instance of the alert, most recent first, or those on one ref (ref, or pr for a pull
// request's merge ref). Each instance's state is its own, open or fixed; a dismissal is not
// shown here, as the operation's schema has no "dismissed" instance state.
func (e *Emulator) listAlertInstances(w http.ResponseWriter, r *http.Request) {
	var links string
	a := e.withState(func(time.Time) answer {
		_, alert, refusal, ok := e.alertFor(r, docsListAlertInstances)
		if !ok {
			return refusal
		}
		q := r.URL.Query()
		ref, problems := refFilter(q.Get("ref"), q["pr"])
		paging, more := parsePaging(q, false)
		if problems = append(problems, more...); len(problems) > 0 {
			return invalidRequestFor(docsListAlertInstances, problems...)
		}
		var matching []AlertInstance
		for _, in := range alert.Instances {
			if ref == "" || in.Ref == ref {
				matching = append(matching, in)
			}
		}
		lo, hi := paging.pageBounds(len(matching))
		links = linkHeader(paging.pageLinks(e.linkBuilderFor(r), len(matching)))
		out := make([]map[string]any, 0, hi-lo)
		for _, in := range matching[lo:hi] {
			out = append(out, instanceJSON(in))
		}
		return answer{status: http.StatusOK, body: out}
	})
	writeListAnswer(w, a, links)
}

// refFilter reads the ref and pr parameters into one full ref, "" when neither is given. An
// empty ref is no filter; pr, an integer, must be one.
func refFilter(ref string, pr []string) (string, []string) {
	switch {
	case pr == nil && ref == "":
		return "", nil
	case pr == nil:
		return fullRef(ref), nil
	case ref != "":
		return "", []string{"Specify the ref by 'ref' or by 'pr', not both."}
	}
	n, err := strconv.Atoi(pr[0])
	if err != nil || n < 1 {
		return "", []string{fmt.Sprintf("For 'pr', %q is not a positive integer.", pr[0])}
	}
	return pullRef(n), nil
}
