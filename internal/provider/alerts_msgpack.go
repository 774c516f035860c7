package provider

import (
	"bytes"
	"time"

	msgpack "github.com/vmihailenco/msgpack/v5"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// encodeAlertsMsgPack writes alerts as the value of the alerts attribute of codescanning_alerts
// in terraform's wire form (MessagePack), byte for byte what the framework writes for the list
// alertObject builds (TestAlertsMsgPackIsWhatTheFrameworkWrites), straight from GitHub's
// answer. Through the framework, 10,000 alerts cost about 11 s and 600 MiB in the provider
// process: it holds the list as attr values, then as tftypes values several times over (a
// copy for semantic equality, a rewrite for ReifyNullCollectionBlocks, which walks the schema
// for every null), before encoding it. See BENCHMARKS.md.
//
// Objects are maps with their attributes in sorted order, as tftypes writes them; the library
// is the one tftypes uses, so strings and numbers take the same encodings.
func encodeAlertsMsgPack(alerts []githubclient.Alert) ([]byte, error) {
	var buf bytes.Buffer
	// About 1.2 KiB an alert; growing the buffer once is cheaper than doubling it ten times.
	buf.Grow(1300 * len(alerts))
	w := msgpackWriter{enc: msgpack.NewEncoder(&buf)}
	w.arrayLen(len(alerts))
	for i := range alerts {
		w.alert(&alerts[i])
	}
	return buf.Bytes(), w.err
}

// msgpackWriter keeps the first error, so that an object reads as its attributes in order.
type msgpackWriter struct {
	enc *msgpack.Encoder
	err error
}

func (w *msgpackWriter) arrayLen(n int) {
	if w.err == nil {
		w.err = w.enc.EncodeArrayLen(n)
	}
}

func (w *msgpackWriter) object(n int) {
	if w.err == nil {
		w.err = w.enc.EncodeMapLen(n)
	}
}

func (w *msgpackWriter) null() {
	if w.err == nil {
		w.err = w.enc.EncodeNil()
	}
}

func (w *msgpackWriter) str(s string) {
	if w.err == nil {
		w.err = w.enc.EncodeString(s)
	}
}

func (w *msgpackWriter) int(n int) {
	if w.err == nil {
		w.err = w.enc.EncodeInt(int64(n))
	}
}

func (w *msgpackWriter) key(name string) { w.str(name) }

func (w *msgpackWriter) strPtr(s *string) {
	if s == nil {
		w.null()
		return
	}
	w.str(*s)
}

// time is as timeValue writes it: RFC 3339 in UTC.
func (w *msgpackWriter) time(t *time.Time) {
	if t == nil {
		w.null()
		return
	}
	w.str(t.UTC().Format(time.RFC3339))
}

func (w *msgpackWriter) login(u *githubclient.User) {
	if u == nil {
		w.null()
		return
	}
	w.str(u.Login)
}

// strings is a list of strings; none is an empty list, as stringList builds it.
func (w *msgpackWriter) strings(values []string) {
	w.arrayLen(len(values))
	for _, v := range values {
		w.str(v)
	}
}

// alert writes the attributes of alertValues, in sorted order.
func (w *msgpackWriter) alert(a *githubclient.Alert) {
	w.object(16)
	w.key("assignees")
	w.arrayLen(len(a.Assignees))
	for _, u := range a.Assignees {
		w.str(u.Login)
	}
	w.key("created_at")
	w.time(a.CreatedAt)
	w.key("dismissal_approved_by")
	w.login(a.DismissalApprovedBy)
	w.key("dismissed_at")
	w.time(a.DismissedAt)
	w.key("dismissed_by")
	w.login(a.DismissedBy)
	w.key("dismissed_comment")
	w.strPtr(a.DismissedComment)
	w.key("dismissed_reason")
	w.strPtr(a.DismissedReason)
	w.key("fixed_at")
	w.time(a.FixedAt)
	w.key("html_url")
	w.str(a.HTMLURL)
	w.key("most_recent_instance")
	w.instance(&a.MostRecentInstance)
	w.key("number")
	w.int(a.Number)
	w.key("repository_full_name")
	if a.Repository == nil {
		w.null()
	} else {
		w.str(a.Repository.FullName)
	}
	w.key("rule")
	w.object(6)
	w.key("description")
	w.str(a.Rule.Description)
	w.key("id")
	w.strPtr(a.Rule.ID)
	w.key("name")
	w.str(a.Rule.Name)
	w.key("security_severity_level")
	w.strPtr(a.Rule.SecuritySeverityLevel)
	w.key("severity")
	w.strPtr(a.Rule.Severity)
	w.key("tags")
	w.strings(a.Rule.Tags)
	w.key("state")
	w.str(a.State)
	w.key("tool")
	w.object(3)
	w.key("guid")
	w.strPtr(a.Tool.GUID)
	w.key("name")
	w.strPtr(a.Tool.Name)
	w.key("version")
	w.strPtr(a.Tool.Version)
	w.key("updated_at")
	w.time(a.UpdatedAt)
}

// instance writes the attributes of alertInstanceObject, in sorted order.
func (w *msgpackWriter) instance(i *githubclient.AlertInstance) {
	w.object(13)
	w.key("analysis_key")
	w.str(i.AnalysisKey)
	w.key("category")
	w.str(i.Category)
	w.key("classifications")
	w.strings(i.Classifications)
	w.key("commit_sha")
	w.str(i.CommitSHA)
	w.key("end_column")
	w.int(i.Location.EndColumn)
	w.key("end_line")
	w.int(i.Location.EndLine)
	w.key("environment")
	w.str(i.Environment)
	w.key("message")
	w.str(i.Message.Text)
	w.key("path")
	w.str(i.Location.Path)
	w.key("ref")
	w.str(i.Ref)
	w.key("start_column")
	w.int(i.Location.StartColumn)
	w.key("start_line")
	w.int(i.Location.StartLine)
	w.key("state")
	w.str(i.State)
}
