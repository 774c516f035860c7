package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/codescanning/terraform-provider-codescanning/internal/emulator"
	"github.com/codescanning/terraform-provider-codescanning/internal/tfcli"
)

// run is what one terraform command cost: its wall time, the requests the embedded GitHub saw
// while it ran, and what terraform's children (the provider processes) used.
type run struct {
	wall           time.Duration
	requests       []emulator.RecordedRequest
	byMethod       map[string]int
	notModified    int
	primaryCost    int
	secondaryTrips int
	// peakProviderMemory is the largest peak resident set (VmHWM) of terraform's children, in
	// bytes: the kernel's high-water mark of the provider process, not a sample of it.
	peakProviderMemory int64
	// CPU time the provider and terraform itself used: on a small machine, the wall time of a
	// command is theirs more than the network's.
	providerCPU, terraformCPU time.Duration
	output                    string
}

// runCLI runs one command in ws and measures it against emu. A plan that finds changes exits
// 2; that is a result, not a failure.
func runCLI(ws *tfcli.Workspace, emu *emulator.Emulator, args ...string) (run, error) {
	before := len(emu.Requests())
	notModified := emu.Network().NotModifiedCount()
	trips := emu.Network().SecondaryLimitTrips()
	var peak atomic.Int64
	var cpu providerCPU
	done := make(chan struct{})
	var sampler sync.WaitGroup
	start := time.Now()
	cmd := ws.Command(append(args, "-no-color")...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Start()
	if runErr == nil {
		sampler.Add(1)
		go func() { defer sampler.Done(); sampleProvider(cmd.Process.Pid, &peak, &cpu, done) }()
		runErr = cmd.Wait()
	}
	wall := time.Since(start)
	close(done)
	sampler.Wait()
	code, runErr := tfcli.ExitCode(runErr)
	planWithChanges := code == 2 && args[0] == "plan"
	if runErr != nil || (code != 0 && !planWithChanges) {
		return run{}, fmt.Errorf("%s %s exited %d: %v\n%s", ws.CLI.Name(), strings.Join(args, " "), code, runErr, out.String())
	}
	r := run{wall: wall, requests: emu.Requests()[before:], byMethod: map[string]int{},
		notModified: emu.Network().NotModifiedCount() - notModified, secondaryTrips: emu.Network().SecondaryLimitTrips() - trips,
		peakProviderMemory: peak.Load(), providerCPU: cpu.total(),
		terraformCPU: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), output: out.String()}
	for _, req := range r.requests {
		r.byMethod[req.Method]++
	}
	r.primaryCost = len(r.requests) - r.notModified
	return r, nil
}
