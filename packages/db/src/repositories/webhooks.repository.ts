import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}
}
