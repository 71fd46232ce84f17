using Sandbox.Worker.Cli;

return await WorkerCommandLine.RunAsync(args);
