#!/usr/bin/env bash
# Creates the certificate that protects the portal's Data Protection key ring, once: an existing certificate is kept
# (a new one could not read the keys the old one protected). Runs in an Azure deployment script with $VAULT and
# $CERTIFICATE set; the role assignment that lets it write may take a minute to reach Key Vault, so it retries.
set -euo pipefail

if az keyvault certificate show --vault-name "$VAULT" --name "$CERTIFICATE" --output none 2>/dev/null; then
  echo "Certificate $CERTIFICATE already exists in $VAULT; kept."
  exit 0
fi

# Self-signed, RSA 2048, exportable (the web app reads the PFX through a Key Vault reference), valid ten years and never
# renewed automatically: Data Protection does not check validity dates, and a renewed key could not decrypt the ring.
policy='{
  "issuerParameters": { "name": "Self" },
  "keyProperties": { "exportable": true, "keyType": "RSA", "keySize": 2048, "reuseKey": true },
  "secretProperties": { "contentType": "application/x-pkcs12" },
  "x509CertificateProperties": { "subject": "CN=portal-data-protection", "validityInMonths": 120 },
  "lifetimeActions": [ { "trigger": { "lifetimePercentage": 90 }, "action": { "actionType": "EmailContacts" } } ]
}'

for attempt in 1 2 3 4 5 6 7 8 9 10; do
  if az keyvault certificate create --vault-name "$VAULT" --name "$CERTIFICATE" --policy "$policy" --output none; then
    echo "Created certificate $CERTIFICATE in $VAULT."
    exit 0
  fi
  echo "Attempt $attempt failed (the role assignment may not have reached Key Vault yet); retrying in 30 s." >&2
  sleep 30
done

echo "Could not create certificate $CERTIFICATE in $VAULT." >&2
exit 1
