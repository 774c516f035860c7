package provider

import (
	"bytes"
	"context"
	"errors"
	"fmt"

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

// encodedAlerts carries the encoded alerts list from Read back to ReadDataSource.
type encodedAlerts struct {
	msgpack []byte
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
	if err != nil || resp == nil || resp.State == nil || out.msgpack == nil || hasErrorDiagnostic(resp.Diagnostics) {
		return resp, err
	}
	state, err := replaceAttribute(resp.State.MsgPack, "alerts", out.msgpack)
	if err != nil {
		resp.Diagnostics = append(resp.Diagnostics, &tfprotov6.Diagnostic{
			Severity: tfprotov6.DiagnosticSeverityError,
			Summary:  "Cannot encode the alerts list",
			Detail:   "This is a bug in the provider; please report it.\n\nOriginal Error: " + err.Error(),
		})
		resp.State = nil
		return resp, nil
	}
	resp.State = &tfprotov6.DynamicValue{MsgPack: state}
	return resp, nil
}

// replaceAttribute rewrites an object encoded as MessagePack with one attribute's value, which
// must be an empty list there, replaced by value (already encoded); the other attributes are
// copied as they are, in their order.
func replaceAttribute(object []byte, name string, value []byte) ([]byte, error) {
	dec := msgpack.NewDecoder(bytes.NewReader(object))
	n, err := dec.DecodeMapLen()
	if err != nil {
		return nil, fmt.Errorf("the state is not an object: %w", err)
	}
	var out bytes.Buffer
	out.Grow(len(object) + len(value))
	enc := msgpack.NewEncoder(&out)
	if err := enc.EncodeMapLen(n); err != nil {
		return nil, err
	}
	replaced := false
	for range n {
		key, err := dec.DecodeString()
		if err != nil {
			return nil, fmt.Errorf("reading an attribute name of the state: %w", err)
		}
		raw, err := dec.DecodeRaw()
		if err != nil {
			return nil, fmt.Errorf("reading attribute %q of the state: %w", key, err)
		}
		if err := enc.EncodeString(key); err != nil {
			return nil, err
		}
		if key != name {
			out.Write(raw)
			continue
		}
		// 0x90: an array of no elements, what Read leaves where the encoded list goes.
		if !bytes.Equal(raw, []byte{0x90}) {
			return nil, fmt.Errorf("attribute %q of the state is not the empty list Read leaves for the encoded one", name)
		}
		out.Write(value)
		replaced = true
	}
	if !replaced {
		return nil, errors.New("the state has no attribute " + name)
	}
	return out.Bytes(), nil
}

func hasErrorDiagnostic(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}
