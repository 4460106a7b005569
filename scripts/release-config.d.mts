export declare const PUBLISHER_PLACEHOLDER: string;
export declare function bakedPublisher(env: NodeJS.ProcessEnv): string;
export declare function isReleaseBuild(env: NodeJS.ProcessEnv): boolean;
export declare function releaseConfigProblems(env: NodeJS.ProcessEnv): string[];
