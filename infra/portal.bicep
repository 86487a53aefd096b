// The portal's resources, in one resource group. See infra/README.md for what each setting is for.
targetScope = 'resourceGroup'

param location string
param tags object
@description('A short unique suffix for globally unique names.')
param resourceToken string
param appServiceSku string
param instanceCount int
param enableSignalR bool
param postgresAdminLogin string
@secure()
param postgresAdminPassword string

@description('Name of the Key Vault certificate that protects the Data Protection key ring (created by the deployment script).')
param dataProtectionCertificateName string = 'portal-data-protection'

var databaseName = 'portal'

// Built-in roles (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var keyVaultCertificatesOfficer = 'a4417e6f-fecd-4de8-b567-7b0420556985'
var signalRAppServer = '420fcaa2-552c-430f-98ca-3264be4806c7'

// ---- Monitoring: Log Analytics + Application Insights (the portal exports OpenTelemetry to it) ----

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

// ---- Key Vault: the store's connection string, the PostgreSQL password, the key-ring certificate ----

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${resourceToken}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource postgresPassword 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  // azd reads this secret back on the next provision (main.parameters.json), so the password stays the same.
  name: 'postgres-admin-password'
  properties: {
    value: postgresAdminPassword
  }
}

resource storeConnection 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'portal-store-connection'
  properties: {
    value: 'Host=${postgres.properties.fullyQualifiedDomainName};Database=${databaseName};Username=${postgresAdminLogin};Password=${postgresAdminPassword};Ssl Mode=Require'
  }
}

// ---- PostgreSQL flexible server: the shared store of every instance ----

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: 'psql-${resourceToken}'
  location: location
  tags: tags
  sku: {
    name: 'Standard_B1ms'
    tier: 'Burstable'
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
    storage: {
      storageSizeGB: 32
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

// 0.0.0.0 is the documented rule "allow public access from any Azure service" (App Service's outbound addresses).
resource postgresFromAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

// ---- Azure SignalR Service (optional): circuits go through it, the web app keeps affinity per circuit ----

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' = if (enableSignalR) {
  name: 'sigr-${resourceToken}'
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: 'Standard_S1'
    capacity: 1
  }
  properties: {
    features: [
      {
        flag: 'ServiceMode'
        value: 'Default'
      }
    ]
    // The web app signs in with its managed identity: no access key exists to leak.
    disableLocalAuth: true
  }
}

// ---- App Service: Linux, .NET 10, WebSockets, ARR affinity, health check, managed identity ----

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${resourceToken}'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

var vaultUri = vault.properties.vaultUri
var baseSettings = [
  {
    name: 'ASPNETCORE_ENVIRONMENT'
    value: 'Production'
  }
  {
    name: 'Portal__Storage__Provider'
    value: 'PostgreSql'
  }
  {
    name: 'Portal__Storage__ConnectionString'
    value: '@Microsoft.KeyVault(SecretUri=${storeConnection.properties.secretUri})'
  }
  {
    // The secret behind a Key Vault certificate is the PFX (base64, with its private key).
    name: 'Portal__DataProtection__Certificate'
    value: '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${dataProtectionCertificateName})'
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: insights.properties.ConnectionString
  }
  {
    name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
    value: 'false'
  }
]
var signalRSettings = enableSignalR
  ? [
      {
        // AuthType=azure.msi: the SDK signs in with the web app's system-assigned identity.
        name: 'Azure__SignalR__ConnectionString'
        value: 'Endpoint=https://${signalR!.properties.hostName};AuthType=azure.msi;Version=1.0;'
      }
    ]
  : []

resource web 'Microsoft.Web/sites@2024-04-01' = {
  name: 'app-${resourceToken}'
  location: location
  tags: union(tags, {
    'azd-service-name': 'portal'
  })
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  // The app setting below refers to the certificate: it must exist before the app first starts.
  dependsOn: [
    createCertificate
  ]
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // ARR affinity: a Blazor circuit lives on one instance, so its requests must keep reaching it.
    clientAffinityEnabled: true
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      webSocketsEnabled: true
      alwaysOn: true
      healthCheckPath: '/healthz/ready'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      keyVaultReferenceIdentity: 'SystemAssigned'
      appSettings: concat(baseSettings, signalRSettings)
    }
  }
}

resource webLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'portal-logs'
  scope: web
  properties: {
    workspaceId: logs.id
    logs: [
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceAppLogs'
        enabled: true
      }
    ]
  }
}

resource webReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, web.id, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: web.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource webIsSignalRServer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (enableSignalR) {
  name: guid(resourceGroup().id, web.id, signalRAppServer)
  scope: signalR
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', signalRAppServer)
    principalId: web.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---- The key-ring certificate: created once in Key Vault by a deployment script (Bicep cannot create certificates) ----

resource scriptIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-certificate-${resourceToken}'
  location: location
  tags: tags
}

resource scriptManagesCertificates 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, scriptIdentity.id, keyVaultCertificatesOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultCertificatesOfficer)
    principalId: scriptIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource createCertificate 'Microsoft.Resources/deploymentScripts@2023-08-01' = {
  name: 'create-data-protection-certificate'
  location: location
  tags: tags
  kind: 'AzureCLI'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${scriptIdentity.id}': {}
    }
  }
  dependsOn: [
    scriptManagesCertificates
  ]
  properties: {
    azCliVersion: '2.63.0'
    retentionInterval: 'PT1H'
    cleanupPreference: 'OnSuccess'
    timeout: 'PT15M'
    environmentVariables: [
      {
        name: 'VAULT'
        value: vault.name
      }
      {
        name: 'CERTIFICATE'
        value: dataProtectionCertificateName
      }
    ]
    scriptContent: loadTextContent('scripts/create-data-protection-certificate.sh')
  }
}

output portalUrl string = 'https://${web.properties.defaultHostName}'
output keyVaultName string = vault.name
output webAppName string = web.name
output certificateScript string = createCertificate.name
