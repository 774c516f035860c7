package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// blockingServer is a provider server whose applies last until their context ends.
type blockingServer struct{ tfprotov6.ProviderServer }

func (blockingServer) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return &tfprotov6.StopProviderResponse{}, nil
}

func (blockingServer) ApplyResourceChange(ctx context.Context, _ *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	select {
	case <-ctx.Done():
		return &tfprotov6.ApplyResourceChangeResponse{}, nil
	case <-time.After(time.Minute):
		return nil, context.DeadlineExceeded
	}
}

// An apply that terraform sends after asking the provider to stop, and one under way then, both
// end at once instead of running to their timeout.
func TestStopAwareServerEndsAppliesOnceTerraformAsksToStop(t *testing.T) {
	t.Parallel()
	server := StopAware(func() tfprotov6.ProviderServer { return blockingServer{} })()
	ctx := context.Background()
	underWay := make(chan error, 1)
	go func() {
		_, err := server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{})
		underWay <- err
	}()
	if _, err := server.StopProvider(ctx, &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	if err := <-underWay; err != nil {
		t.Fatalf("the apply under way at the stop: %v; want it ended by the stop", err)
	}
	if _, err := server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{}); err != nil {
		t.Fatalf("an apply begun after the stop: %v; want it ended at once", err)
	}
}
