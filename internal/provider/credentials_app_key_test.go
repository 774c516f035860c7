package provider

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The usual mistakes with a GitHub App key each get a diagnostic on the attribute that holds it,
// saying what was given and what to give, not "asn1: structure error". Not parallel: it clears
// the credential variables.
func TestAppKeyMistakesNameTheAttributeAndTheFix(t *testing.T) {
	key, keyPEM := appKeyPEM()
	publicDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	encrypted := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY",
		Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF"}, Bytes: []byte("ciphertext")}))
	missing := filepath.Join(t.TempDir(), "no-such.pem")
	inline := func(k string) *appAuthModel {
		return &appAuthModel{ID: types.StringValue("42"), InstallationID: types.StringValue("7"), PrivateKey: types.StringValue(k), PrivateKeyFile: types.StringNull()}
	}
	cases := []struct {
		name    string
		block   *appAuthModel
		attr    string
		summary string
		detail  []string
	}{
		{"encrypted PEM", inline(encrypted), "private_key", "Unusable GitHub App private key", []string{"app_auth's private_key", "encrypted with a passphrase", "openssl pkey"}},
		{"encrypted PKCS #8", inline(string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("x")}))), "private_key", "Unusable GitHub App private key", []string{"encrypted with a passphrase"}},
		{"public key", inline(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: publicDER}))), "private_key", "Unusable GitHub App private key", []string{"is a public key", "Private keys"}},
		{"SSH public key", inline("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ user@host"), "private_key", "Unusable GitHub App private key", []string{"SSH public key"}},
		{"damaged key", inline(string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: []byte("not DER")}))), "private_key", "Unusable GitHub App private key", []string{"damaged", "whole and unedited"}},
		{"missing private_key_file", &appAuthModel{ID: types.StringValue("42"), InstallationID: types.StringValue("7"), PrivateKey: types.StringNull(), PrivateKeyFile: types.StringValue(missing)},
			"private_key_file", "Unreadable GitHub App private key file", []string{missing, "cannot be read", "path of the App's .pem"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clearCredentialEnvironment(t)
			_, diags := resolveCredential(context.Background(), providerModel{AppAuth: tc.block}, "https://api.github.com/")
			if len(diags) != 1 {
				t.Fatalf("diagnostics %v; want one", diags)
			}
			d := diags[0]
			withPath, ok := d.(diag.DiagnosticWithPath)
			if !ok || !withPath.Path().Equal(path.Root("app_auth").AtName(tc.attr)) {
				t.Fatalf("diagnostic %q is not on app_auth.%s", d.Summary(), tc.attr)
			}
			if d.Summary() != tc.summary {
				t.Fatalf("summary %q; want %q", d.Summary(), tc.summary)
			}
			for _, want := range tc.detail {
				if !strings.Contains(d.Detail(), want) {
					t.Errorf("detail %q lacks %q", d.Detail(), want)
				}
			}
			if strings.HasPrefix(d.Detail(), "asn1") || strings.Contains(d.Detail(), strings.Split(keyPEM, "\n")[2]) {
				t.Errorf("detail %q: want the fix first and no key material", d.Detail())
			}
		})
	}
}
