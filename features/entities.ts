import { Construct } from 'constructs';
import { Entity, Int64, String } from '../constructs';

export function declareEntities(scope: Construct): { taxi: Entity; driver: Entity } {
  const taxi = new Entity(scope, 'taxi', {
    joinKeys: ['taxi_id'],
    valueType: String,
    description: 'A Chicago taxi cab, by its hashed id',
    owner: 'mobility-data@example.com',
  });
  const driver = new Entity(scope, 'driver', {
    joinKeys: ['driver_id'],
    valueType: Int64,
    description: 'A driver on the ride-hailing platform',
    owner: 'mobility-data@example.com',
  });
  return { taxi, driver };
}
