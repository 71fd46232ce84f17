// The test namespaces sit under Sandbox.Supervisor, whose internal namespaces (Sessions, Workers…) are
// visible to this assembly and would shadow the generated clients' short names.
global using SandboxClient = global::Sandbox.Api.V1.Sandbox.SandboxClient;
global using SessionsClient = global::Sandbox.Api.V1.Sessions.SessionsClient;
