#!/bin/sh
# Run by the ckan-base image's start script before CKAN is served, after its database
# set-up: the tables of ckanext-harvest (harvest sources, jobs, objects).
set -e
ckan -c "$CKAN_INI" db upgrade -p harvest >/dev/null
