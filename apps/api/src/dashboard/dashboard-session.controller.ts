import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { assertSameSiteChange, cameOverHttps, SESSION_COOKIE, sessionToken } from '../auth/dashboard-session.js';
import type { ApiRequest } from '../common/request-context.js';
import { presentSession, signInSchema, type SessionResponse, type SignInBody } from './dashboard-session.dto.js';
import { DashboardSessionService } from './dashboard-session.service.js';

/**
 * The dashboard's sign-in: an API key in, an httpOnly session cookie out (see
 * auth/dashboard-session.ts). Not part of the public API, so not in its OpenAPI document.
 */
@ApiExcludeController()
@Controller('dashboard/session')
export class DashboardSessionController {
  constructor(private readonly sessions: DashboardSessionService) {}

  @Post()
  @HttpCode(201)
  async signIn(@Req() req: ApiRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body({ schema: signInSchema }) body: SignInBody): Promise<SessionResponse> {
    assertSameSiteChange(req);
    // A session this browser still had ends: one sign-in, one session.
    await this.sessions.signOut(sessionToken(req));
    const { token, session } = await this.sessions.signIn(body.api_key);
    void reply.header('cache-control', 'no-store').setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: cameOverHttps(req),
      maxAge: Math.floor(this.sessions.ttlMs / 1000),
    });
    return presentSession(session);
  }

  @Get()
  async current(@Req() req: ApiRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionResponse> {
    void reply.header('cache-control', 'no-store');
    return presentSession(await this.sessions.current(sessionToken(req)));
  }

  @Delete()
  @HttpCode(204)
  async signOut(@Req() req: ApiRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    assertSameSiteChange(req);
    await this.sessions.signOut(sessionToken(req));
    void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: cameOverHttps(req) });
  }
}
