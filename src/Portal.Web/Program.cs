using Portal.Web;

return await PortalWebApplication.RunAsync(args);
