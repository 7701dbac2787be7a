/** Proves the Alibaba Cloud RPC signature against the two worked examples of its documentation, the percent-encoding rules and the answer mapping. */
import { mapAliyunAnswer, percentEncode, signRpc } from './aliyun-sms.client';

describe('Alibaba Cloud RPC signature', () => {
  it('matches the documented DescribeRegions example (secret "testsecret")', () => {
    const params = {
      Timestamp: '2016-02-23T12:46:24Z',
      Format: 'XML',
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      Version: '2014-05-26',
      SignatureVersion: '1.0',
    };
    expect(signRpc(params, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('matches the documented SendSms example, with Chinese and JSON in the values (secret "testSecret")', () => {
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    };
    expect(signRpc(params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('percent-encodes as RFC 3986: space %20, * %2A, ~ kept', () => {
    expect(percentEncode("a b*c~d!'()")).toBe('a%20b%2Ac~d%21%27%28%29');
    expect(percentEncode('/')).toBe('%2F');
  });
});

describe('answer mapping', () => {
  it('OK is sent, with the BizId', () => {
    expect(mapAliyunAnswer(200, { Code: 'OK', BizId: '900619746936498440^0' })).toEqual({ outcome: 'SENT', messageId: '900619746936498440^0' });
  });

  it('throttling, flow control and server trouble are retried', () => {
    expect(mapAliyunAnswer(200, { Code: 'Throttling.User' }).outcome).toBe('RETRY');
    expect(mapAliyunAnswer(200, { Code: 'isv.BUSINESS_LIMIT_CONTROL' }).outcome).toBe('RETRY');
    expect(mapAliyunAnswer(503, null)).toEqual({ outcome: 'RETRY', code: 'HTTP_503' });
  });

  it('a bad number, template, signature or account is given up', () => {
    for (const code of [
      'isv.MOBILE_NUMBER_ILLEGAL',
      'isv.SMS_TEMPLATE_ILLEGAL',
      'isv.SMS_SIGNATURE_ILLEGAL',
      'isv.INVALID_PARAMETERS',
      'isv.AMOUNT_NOT_ENOUGH',
      'SignatureDoesNotMatch',
      'InvalidAccessKeyId.NotFound',
      'isp.RAM_PERMISSION_DENY',
    ]) {
      expect(mapAliyunAnswer(200, { Code: code })).toEqual({ outcome: 'GIVE_UP', code });
    }
    expect(mapAliyunAnswer(400, null)).toEqual({ outcome: 'GIVE_UP', code: 'HTTP_400' });
  });
});
