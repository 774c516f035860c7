package provider

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	msgpack "github.com/vmihailenco/msgpack/v5"

	"github.com/codescanning/terraform-provider-codescanning/internal/githubclient"
)

// alertsEncoder writes alerts, as they are listed, as the value of the alerts attribute of
// codescanning_alerts in terraform's wire form (MessagePack): byte for byte what the framework
// writes for the list alertObject builds (TestAlertsMsgPackIsWhatTheFrameworkWrites), straight
// from GitHub's answer. Through the framework, 10,000 alerts cost about 11 s and 600 MiB in the
// provider process: it holds the list as attr values, then as tftypes values several times over
// (a copy for semantic equality, a rewrite for ReifyNullCollectionBlocks, which walks the schema
// for every null), before encoding it. See BENCHMARKS.md.
//
// Objects are maps with their attributes in sorted order, as tftypes writes them; the library
// is the one tftypes uses, so strings and numbers take the same encodings. The list's length,
// known only at the end, goes in room left before the first alert, where the state's attributes
// before alerts can go too (replaceAttribute), so that the list is never copied.
type alertsEncoder struct {
	buf bytes.Buffer
	w   msgpackWriter
	n   int
}

// tailRoom is room left after the last alert for the state's attributes after alerts (all the
// others, as tftypes sorts them: the filters and timeouts, a few hundred bytes).
const tailRoom = 4096

// listRoom is the room before the first alert: a list header (at most 5 bytes) and the state's
// map header and "alerts" key, which come first as tftypes sorts attributes.
const listRoom = 64

func newAlertsEncoder() *alertsEncoder {
	e := &alertsEncoder{}
	e.buf.Write(make([]byte, listRoom))
	e.w.enc = msgpack.NewEncoder(&e.buf)
	return e
}

// add writes one alert; its signature is the client's Each*Alert callback's.
func (e *alertsEncoder) add(a githubclient.Alert) error {
	e.w.alert(&a)
	e.n++
	return e.w.err
}

// list is the encoded list: buf[start:], with buf[:start] free.
func (e *alertsEncoder) list() (buf []byte, start int, err error) {
	if e.w.err != nil {
		return nil, 0, e.w.err
	}
	var header bytes.Buffer
	if err := msgpack.NewEncoder(&header).EncodeArrayLen(e.n); err != nil {
		return nil, 0, err
	}
	e.buf.Grow(tailRoom) // more often than not there is room already, and Grow copies nothing
	buf = e.buf.Bytes()
	start = listRoom - header.Len()
	copy(buf[start:], header.Bytes())
	return buf, start, nil
}

// encodeAlertsMsgPack is the list of alerts, encoded.
func encodeAlertsMsgPack(alerts []githubclient.Alert) ([]byte, error) {
	e := newAlertsEncoder()
	for _, a := range alerts {
		if err := e.add(a); err != nil {
			return nil, err
		}
	}
	buf, start, err := e.list()
	return buf[start:], err
}

// decodeAlertsList is an encoded list as the framework's value, for Read without ProtocolServer.
func decodeAlertsList(ctx context.Context, encoded []byte) (types.List, error) {
	listType := types.ListType{ElemType: alertObjectType()}
	value, err := (&tfprotov6.DynamicValue{MsgPack: encoded}).Unmarshal(listType.TerraformType(ctx))
	if err != nil {
		return types.List{}, err
	}
	list, err := listType.ValueFromTerraform(ctx, value)
	if err != nil {
		return types.List{}, err
	}
	l, ok := list.(types.List)
	if !ok {
		return types.List{}, fmt.Errorf("decoded a %T, not a list", list)
	}
	return l, nil
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
