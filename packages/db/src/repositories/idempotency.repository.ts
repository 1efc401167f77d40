import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class IdempotencyRepository {
  constructor(private readonly dataSource: DataSource) {}
}
