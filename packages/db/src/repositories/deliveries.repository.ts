import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class DeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}
}
