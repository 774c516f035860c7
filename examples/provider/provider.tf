terraform {
  required_providers {
    codescanning = {
      source  = "codescanning/codescanning"
      version = "~> 0.1"
    }
  }
}

# The token comes from GITHUB_TOKEN (or GH_TOKEN) when not set here.
provider "codescanning" {
  owner = "my-org"
}

# GitHub Enterprise Server: the API lives at https://github.example.com/api/v3/.
provider "codescanning" {
  alias    = "ghes"
  base_url = "https://github.example.com"
  owner    = "platform"
}

# A GitHub App installation instead of a token (the key may also come from GITHUB_APP_PEM_FILE),
# with the answers of one run kept for the next.
provider "codescanning" {
  alias     = "app"
  owner     = "my-org"
  cache_dir = ".terraform/codescanning-cache"

  app_auth {
    id               = "123456"
    installation_id  = "7654321"
    private_key_file = "codescanning-app.pem"
  }
}
