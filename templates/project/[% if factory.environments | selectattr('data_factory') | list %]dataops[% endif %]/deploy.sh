#!/usr/bin/env sh
# Deploy the Data Factory datasets and pipelines of dataops/adf/ into the project's factory.
# Each object is one PUT on the factory (az rest): the CI identity holds Data Factory Contributor on the
# factory itself, which is all this needs (an ARM deployment would need rights on the resource group).
# Needs: az (logged in), jq, and AZURE_SUBSCRIPTION_ID, RESOURCE_GROUP, DATA_FACTORY (scripts/ci_env.py sets them).
set -eu
cd "$(dirname "$0")/adf"
factory="https://management.azure.com/subscriptions/${AZURE_SUBSCRIPTION_ID}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.DataFactory/factories/${DATA_FACTORY}"
for kind in dataset pipeline; do
    for file in "$kind"/*.json; do
        name=$(jq -r .name "$file")
        echo "deploying $kind $name to $DATA_FACTORY"
        az rest --method put --url "$factory/${kind}s/$name?api-version=2018-06-01" \
            --body "$(jq -c '{properties: .properties}' "$file")" --output none
    done
done
if [ "${RUN_INGEST:-false}" = "true" ]; then
    az rest --method post --url "$factory/pipelines/ingest/createRun?api-version=2018-06-01" --body '{}'
fi
