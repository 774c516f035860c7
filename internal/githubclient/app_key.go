package githubclient

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// A GitHub App's private key is the PEM file GitHub generates in the App's settings: an RSA key,
// PKCS #1 ("RSA PRIVATE KEY"), which tools may have turned into PKCS #8 ("PRIVATE KEY"). What
// people give instead, and the parsers' answers to it ("asn1: structure error"), say nothing
// of the fix; AppKeyError says what was given and what to do.

// AppKeyError is why bytes given as a GitHub App's private key are not one. It never holds the
// key.
type AppKeyError struct {
	Problem string // what the bytes are, e.g. "a public key"
	Fix     string // what to give instead
}

func (e *AppKeyError) Error() string { return e.Problem + ". " + e.Fix }

const appKeyFix = "Give the App's private key as GitHub generated it (the .pem file from the App's settings, under Private keys)"

// ParseAppPrivateKey reads a GitHub App's private key, or says in an *AppKeyError why it cannot.
func ParseAppPrivateKey(pemBytes []byte) (*rsa.PrivateKey, error) {
	trimmed := bytes.TrimSpace(pemBytes)
	block, _ := pem.Decode(trimmed)
	switch {
	case len(trimmed) == 0:
		return nil, &AppKeyError{Problem: "the private key is empty", Fix: appKeyFix + "."}
	case block == nil && bytes.HasPrefix(trimmed, []byte("ssh-")):
		return nil, &AppKeyError{Problem: "the private key is an SSH public key", Fix: appKeyFix + ", not an SSH key."}
	case block == nil:
		return nil, &AppKeyError{Problem: "the private key is not in PEM form (no -----BEGIN RSA PRIVATE KEY----- line)", Fix: appKeyFix + ", whole, with its BEGIN and END lines."}
	case block.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED"):
		return nil, &AppKeyError{Problem: "the private key is encrypted with a passphrase",
			Fix: "Give it unencrypted, as GitHub generated it: openssl pkey -in encrypted.pem -out app.pem decrypts it (it asks for the passphrase)."}
	case strings.Contains(block.Type, "PUBLIC KEY"):
		return nil, &AppKeyError{Problem: "the private key is a public key (" + block.Type + ")", Fix: appKeyFix + "; the public half cannot sign."}
	case block.Type == "OPENSSH PRIVATE KEY":
		return nil, &AppKeyError{Problem: "the private key is in OpenSSH's format, not PEM", Fix: appKeyFix + "."}
	case block.Type != "RSA PRIVATE KEY" && block.Type != "PRIVATE KEY":
		return nil, &AppKeyError{Problem: fmt.Sprintf("the private key is not an RSA key in PEM form (PKCS #1 or PKCS #8): its PEM block is %q", block.Type), Fix: appKeyFix + "."}
	}
	if block.Type == "RSA PRIVATE KEY" {
		key, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, damagedKey(err)
		}
		return key, nil
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, damagedKey(err)
	}
	key, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, &AppKeyError{Problem: fmt.Sprintf("the private key is a %T key, not RSA", parsed), Fix: appKeyFix + "; GitHub App keys are RSA."}
	}
	return key, nil
}

// damagedKey is a PEM block of the right type whose content does not parse: cut short, or
// edited. The parser's words (which never quote the key) go last.
func damagedKey(err error) error {
	var keyErr *AppKeyError
	if errors.As(err, &keyErr) {
		return err
	}
	return &AppKeyError{Problem: "the private key's PEM block is damaged (" + err.Error() + ")", Fix: appKeyFix + ", whole and unedited."}
}
