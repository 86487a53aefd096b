// The portal on Azure: one resource group with App Service (Linux, .NET 10), Azure Database for PostgreSQL flexible
// server, Key Vault, Application Insights + Log Analytics and, optionally, Azure SignalR Service. `azd up` provisions it
// (azure.yaml at the repository's top level) and deploys src/Portal.Web into the web app.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Name of the azd environment: names the resource group and tags every resource.')
param environmentName string

@minLength(1)
@description('Azure region of every resource.')
param location string

@description('App Service plan SKU. WebSockets and several instances need Basic or higher; P0v3 is a sensible start.')
param appServiceSku string = 'P0v3'

@minValue(1)
@maxValue(10)
@description('Number of App Service instances. More than one needs the shared PostgreSQL store (always used here).')
param instanceCount int = 1

@description('Adds Azure SignalR Service as the circuit transport (scale-out beyond sticky sessions).')
param enableSignalR bool = false

@description('Administrator login of the PostgreSQL flexible server.')
param postgresAdminLogin string = 'portaladmin'

@secure()
@minLength(16)
@description('Administrator password of the PostgreSQL flexible server. azd generates it once and keeps it in Key Vault.')
param postgresAdminPassword string

var tags = {
  'azd-env-name': environmentName
}

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module portal 'portal.bicep' = {
  name: 'portal'
  scope: group
  params: {
    location: location
    tags: tags
    resourceToken: toLower(uniqueString(subscription().id, environmentName, location))
    appServiceSku: appServiceSku
    instanceCount: instanceCount
    enableSignalR: enableSignalR
    postgresAdminLogin: postgresAdminLogin
    postgresAdminPassword: postgresAdminPassword
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_KEY_VAULT_NAME string = portal.outputs.keyVaultName
output PORTAL_URL string = portal.outputs.portalUrl
