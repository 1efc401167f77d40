import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class AccountsRepository {
  constructor(private readonly dataSource: DataSource) {}
}
