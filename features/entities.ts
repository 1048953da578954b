import { Construct } from 'constructs';
import { Entity, types } from '../constructs';

export function declareEntities(scope: Construct): { taxi: Entity; driver: Entity } {
  const taxi = new Entity(scope, 'taxi', {
    joinKeys: ['taxi_id'],
    valueType: types.String,
    description: 'A Chicago taxi cab, by its hashed id',
    owner: 'mobility-data@example.com',
  });
  const driver = new Entity(scope, 'driver', {
    joinKeys: ['driver_id'],
    valueType: types.Int64,
    description: 'A driver on the ride-hailing platform',
    owner: 'mobility-data@example.com',
  });
  return { taxi, driver };
}
