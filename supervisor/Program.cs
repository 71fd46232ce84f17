using Sandbox.Supervisor.Cli;

return await SandboxCommandLine.RunAsync(args);
