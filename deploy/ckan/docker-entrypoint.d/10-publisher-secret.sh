#!/bin/sh
# Run by the ckan-base image's start script before CKAN is served: pin SECRET_KEY (and so
# the default JWT secrets of API tokens) to the value from the Compose env file.
set -e
if [ -n "${CKAN_SECRET_KEY:-}" ]; then
  ckan config-tool "$CKAN_INI" "SECRET_KEY = $CKAN_SECRET_KEY" >/dev/null
fi
