#!/bin/sh
# Generate the configure script and Makefile.in from configure.ac/Makefile.am.
set -e
cd "$(dirname "$0")"
mkdir -p m4 build-aux
autoreconf --force --install --symlink
echo "Now run ./configure && make"
