import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class AttemptsRepository {
  constructor(private readonly dataSource: DataSource) {}
}
