import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}
}
