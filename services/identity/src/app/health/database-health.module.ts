import { MikroORM } from '@mikro-orm/core';
import type { MikroORM as SqlMikroORM } from '@mikro-orm/mysql';
import { Module } from '@nestjs/common';
import { DatabaseReadiness } from '@relationship/persistence';

/** Makes the persistence library's database check injectable for the health module. */
@Module({
  providers: [{ provide: DatabaseReadiness, useFactory: (orm: MikroORM) => new DatabaseReadiness(orm as SqlMikroORM), inject: [MikroORM] }],
  exports: [DatabaseReadiness],
})
export class DatabaseHealthModule {}
