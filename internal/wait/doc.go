// Package wait holds the provider's one way of waiting: a small, context-aware poller modelled on
// the SDK's StateChangeConf, and the back-off it sleeps by.
//
// It knows nothing of GitHub or Terraform. It must not retry HTTP failures (the transport's job)
// and must never sleep past its context's deadline.
package wait
