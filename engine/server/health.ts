import protobuf from 'protobufjs';

/** grpc.health.v1 (not among the Temporal protos): Check answers SERVING while the engine runs. */
export const healthRoot = protobuf.Root.fromJSON({
  nested: {
    grpc: {
      nested: {
        health: {
          nested: {
            v1: {
              nested: {
                HealthCheckRequest: { fields: { service: { type: 'string', id: 1 } } },
                HealthCheckResponse: { fields: { status: { type: 'int32', id: 1 } } },
                Health: { methods: { Check: { requestType: 'HealthCheckRequest', responseType: 'HealthCheckResponse' } } },
              },
            },
          },
        },
      },
    },
  },
});

export const healthService = healthRoot.lookupService('grpc.health.v1.Health');
export const SERVING = 1;
