package provider

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	msgpack "github.com/vmihailenco/msgpack/v5"
)

// ProtocolServer is the provider as terraform talks to it (main.go, and the tests'
// ProtoV6ProviderFactories): the framework's protocol 6 server, except that the alerts of
// codescanning_alerts reach terraform encoded by the provider (encodeAlertsMsgPack) rather than
// through the framework's values, which cost a 10,000-alert read 11 s and 600 MiB.
//
// Read still runs in the framework, which validates the configuration, calls Read and keeps its
// diagnostics; Read, finding an encodedAlerts in its context, encodes the list there and leaves
// alerts empty in the state it sets, and ReadDataSource puts the encoded list in its place.
func ProtocolServer(p fwprovider.Provider) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		return &alertsStateServer{ProviderServer: providerserver.NewProtocol6(p)()}
	}
}

type alertsStateServer struct {
	tfprotov6.ProviderServer
}

// encodedAlerts carries the encoded alerts list from Read back to ReadDataSource: buf[start:],
// with buf[:start] free for what precedes it in the state.
type encodedAlerts struct {
	buf   []byte
	start int
}

type encodedAlertsKey struct{}

// encodedAlertsFrom is where Read should put the encoded alerts list; nil when the provider runs
// in the framework's server alone, where the list goes into the state as values.
func encodedAlertsFrom(ctx context.Context) *encodedAlerts {
	out, _ := ctx.Value(encodedAlertsKey{}).(*encodedAlerts)
	return out
}

func (s *alertsStateServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if req.TypeName != "codescanning_alerts" {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	out := &encodedAlerts{}
	resp, err := s.ProviderServer.ReadDataSource(context.WithValue(ctx, encodedAlertsKey{}, out), req)
	if err != nil || resp == nil || resp.State == nil || out.buf == nil || hasErrorDiagnostic(resp.Diagnostics) {
		return resp, err
	}
	state, err := replaceAttribute(resp.State.MsgPack, "alerts", out.buf, out.start)
	if err != nil {
		resp.Diagnostics = append(resp.Diagnostics, &tfprotov6.Diagnostic{
			Severity: tfprotov6.DiagnosticSeverityError,
			Summary:  "Cannot encode the alerts list",
			Detail:   "This is a bug in the provider; please report it.\n\nOriginal Error: " + err.Error(),
		})
		resp.State = nil
		return resp, nil //nolint:nilerr // reported as a diagnostic, which terraform shows with the data source's address
	}
	resp.State = &tfprotov6.DynamicValue{MsgPack: state}
	return resp, nil
}

// replaceAttribute is an object encoded as MessagePack with one attribute's value, which must be
// an empty list there, replaced by buf[start:] (already encoded). What precedes the value in the
// object goes into buf[:start] when it fits, so that a list of many MiB is not copied; the
// object's other bytes are kept as they are.
func replaceAttribute(object []byte, name string, buf []byte, start int) ([]byte, error) {
	r := bytes.NewReader(object)
	offset := func() int { return len(object) - r.Len() }
	dec := msgpack.NewDecoder(r)
	n, err := dec.DecodeMapLen()
	if err != nil {
		return nil, fmt.Errorf("the state is not an object: %w", err)
	}
	for range n {
		key, err := dec.DecodeString()
		if err != nil {
			return nil, fmt.Errorf("reading an attribute name of the state: %w", err)
		}
		valueStart := offset()
		raw, err := dec.DecodeRaw()
		if err != nil {
			return nil, fmt.Errorf("reading attribute %q of the state: %w", key, err)
		}
		if key != name {
			continue
		}
		// 0x90: an array of no elements, what Read leaves where the encoded list goes.
		if !bytes.Equal(raw, []byte{0x90}) {
			return nil, fmt.Errorf("attribute %q of the state is not the empty list Read leaves for the encoded one", name)
		}
		before, after := object[:valueStart], object[offset():]
		if len(before) > start {
			return slices.Concat(before, buf[start:], after), nil
		}
		out := buf[start-len(before):]
		copy(out, before)
		return append(out, after...), nil
	}
	return nil, errors.New("the state has no attribute " + name)
}

func hasErrorDiagnostic(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}
