import { http, type TestStack } from '@app/testing';

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  default?: unknown;
  example?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  method: string;
  /** OpenAPI path, e.g. `/api/v1/beds/{id}/admit`. */
  path: string;
  parameters: Parameter[];
  /** The JSON request body's schema, dereferenced at the top level; undefined when the operation takes no body. */
  body?: Schema;
  bodyRequired: boolean;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

/** The OpenAPI document the application serves. */
export async function fetchOpenApi(stack: TestStack): Promise<OpenApiDocument> {
  const response = await http(stack).get('/api/docs-json').expect(200);
  return response.body as OpenApiDocument;
}

/** Follows `$ref` and merges a single-element `allOf`, so properties can be read directly. */
export function deref(document: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    return deref(document, document.components?.schemas?.[name]);
  }
  if (schema.allOf && schema.allOf.length === 1) return { ...deref(document, schema.allOf[0]), ...schema, allOf: undefined };
  return schema;
}

/** Every operation of the document with its parameters and its body schema. */
export function operations(document: OpenApiDocument): Operation[] {
  const result: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const content = operation.requestBody?.content['application/json'];
      result.push({
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        body: content ? deref(document, content.schema) : undefined,
        bodyRequired: operation.requestBody?.required ?? false,
      });
    }
  }
  return result;
}

/** The operation for a route (method and OpenAPI path), or undefined. */
export function operationOf(document: OpenApiDocument, method: string, openApiPath: string): Operation | undefined {
  return operations(document).find((operation) => operation.method === method && operation.path === openApiPath);
}
