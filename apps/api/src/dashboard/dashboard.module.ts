import { Module } from '@nestjs/common';
import { DashboardSessionController } from './dashboard-session.controller.js';
import { DashboardSessionService } from './dashboard-session.service.js';

/** The dashboard's sign-in session routes (its pages are served by serveDashboard, in bootstrap). */
@Module({ controllers: [DashboardSessionController], providers: [DashboardSessionService] })
export class DashboardModule {}
