import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { ReconcilerService } from './reconciler.service.js';

@Module({ imports: [DeliveryModule], providers: [ReconcilerService], exports: [ReconcilerService] })
export class ReconcileModule {}
