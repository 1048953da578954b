#!/bin/bash
# Cluster init script: installs Node.js and the featurestack runtime package
# (`npm pack` output) so that load_snapshot.py can run `featurestack`.
set -euo pipefail
NODE_VERSION="${FEATURESTACK_NODE_VERSION:-20.18.1}"
PACKAGE="${FEATURESTACK_PACKAGE:?set FEATURESTACK_PACKAGE to the featurestack package path}"
curl -fsSL "https://nodejs.org/dist/v${NODE_VERSION}/node-v${NODE_VERSION}-linux-x64.tar.xz" | tar -xJ -C /opt
export PATH="/opt/node-v${NODE_VERSION}-linux-x64/bin:${PATH}"
npm install --global --omit=dev "${PACKAGE}"
ln -sf "/opt/node-v${NODE_VERSION}-linux-x64/bin/node" /usr/local/bin/node
ln -sf "$(npm prefix --global)/bin/featurestack" /usr/local/bin/featurestack
