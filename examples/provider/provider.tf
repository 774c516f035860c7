terraform {
  required_providers {
    codescanning = {
      source = "codescanning/codescanning"
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
