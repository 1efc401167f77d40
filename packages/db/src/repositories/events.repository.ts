import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class EventsRepository {
  constructor(private readonly dataSource: DataSource) {}
}
