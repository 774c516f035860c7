package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// StopAware wraps the provider server so that, once terraform has asked the provider to stop
// (the first Ctrl-C, a cancelled CI job's SIGINT), every apply's context ends, including those
// that begin after the request. terraform-plugin-go (tf6server) cancels the requests under way
// at that moment and then replaces its stop signal with a fresh one, so a create terraform
// dispatched a moment later would wait for its run until the create timeout (30 minutes) while
// terraform waits for it: an interrupted apply of 60 default setups hung that way. A provider
// process serves one terraform command, so a stop is final.
func StopAware(newServer func() tfprotov6.ProviderServer) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		stopped, stop := context.WithCancel(context.Background())
		return &stopAwareServer{ProviderServer: newServer(), stopped: stopped, stop: stop}
	}
}

type stopAwareServer struct {
	tfprotov6.ProviderServer
	stopped  context.Context
	stop     context.CancelFunc
	stopOnce sync.Once
}

func (s *stopAwareServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	s.stopOnce.Do(s.stop)
	return s.ProviderServer.StopProvider(ctx, req)
}

func (s *stopAwareServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	release := context.AfterFunc(s.stopped, cancel)
	defer release()
	return s.ProviderServer.ApplyResourceChange(ctx, req)
}
